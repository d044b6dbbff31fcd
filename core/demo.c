/* The demo office: staff, constituents with histories, and a few hundred
 * cases in every state, made through the same office calls people use (so
 * clocks, events, acknowledgments and audit are all real). The inquiry texts
 * are our own. Time is walked forward with the injectable clock. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/office_internal.h"
#include "core/util.h"

struct demo_staff {
	const char *login, *name, *title, *role, *department;
};

static const struct demo_staff staff[] = {
	{"mgarcia", "María García", "Public Works Caseworker", "caseworker", "public-works"},
	{"tnguyen", "Thanh Nguyễn", "Public Works Caseworker", "caseworker", "public-works"},
	{"jokafor", "Joy Okafor", "Transportation Liaison", "caseworker", "transportation"},
	{"lchen", "Lei Chen", "Transportation Liaison", "caseworker", "transportation"},
	{"rpatel", "Ravi Patel", "Sanitation Coordinator", "caseworker", "sanitation"},
	{"skowalski", "Stan Kowalski", "Sanitation Coordinator", "caseworker", "sanitation"},
	{"abrown", "Alice Brown", "Parks & Forestry Caseworker", "caseworker", "parks"},
	{"dsilva", "Diego Silva", "Water & Sewer Caseworker", "caseworker", "water"},
	{"kmurphy", "Kate Murphy", "Housing Inspector", "caseworker", "inspectional"},
	{"yli", "Yan Li", "Housing Inspector", "caseworker", "inspectional"},
	{"fhassan", "Fatima Hassan", "Public Health Nurse", "caseworker", "health"},
	{"nrodriguez", "Nora Rodríguez", "Benefits Counselor", "caseworker", "human-services"},
	{"owilliams", "Owen Williams", "Benefits Counselor", "caseworker", "human-services"},
	{"ejohnson", "Erin Johnson", "Front Desk", "frontdesk", "constituent-services"},
	{"pmartin", "Paul Martin", "Casework Supervisor", "supervisor", "constituent-services"},
};

struct demo_person {
	const char *name, *email, *phone, *address, *language;
};

static const struct demo_person people[] = {
	{"José Álvarez", "jose.alvarez@example.net", "555-0101", "14 Elm Street", "es"},
	{"Zoë Müller", "zoe.mueller@example.org", NULL, "220 River Road, Apt 3", NULL},
	{"山田 太郎", "taro.yamada@example.jp", "555-0103", "9 Harbor View", NULL},
	{"Nguyễn Văn An", NULL, "555-0104", "31 Maple Avenue", NULL},
	{"Margaret O'Brien", "mobrien@example.com", "555-0105", "7 Chestnut Lane", NULL},
	{"François Lefèvre", "f.lefevre@example.fr", NULL, "48 Orchard Street", NULL},
	{"Aisha Bello", "aisha.bello@example.com", "555-0107", "102 Grove Street", NULL},
	{"Dmitri Volkov", NULL, "555-0108", "5 Cedar Court", NULL},
	{"Lucía Fernández", "lucia.f@example.net", "555-0109", "66 Mill Road", "es"},
	{"王 小明", "xiaoming.wang@example.cn", NULL, "12 Park Terrace", NULL},
	{"Samuel Johnson", "sam.johnson@example.com", "555-0111", "400 Main Street", NULL},
	{"Priya Sharma", "priya.sharma@example.in", "555-0112", "18 Willow Way", NULL},
	{"Kwame Mensah", NULL, "555-0113", "77 Station Road", NULL},
	{"Ingrid Johansson", "ingrid.j@example.se", NULL, "3 Lakeside Drive", NULL},
	{"Carlos Mendoza", "cmendoza@example.com", "555-0115", "59 Hill Street", "es"},
	{"Hannah Schmidt", "hannah.schmidt@example.de", "555-0116", "21 Birch Street", NULL},
	{"Björn Åkesson", NULL, "555-0117", "90 Bridge Street", NULL},
	{"Fatou Diop", "fatou.diop@example.sn", "555-0118", "8 Spring Lane", NULL},
	{"Olga Petrova", "olga.petrova@example.ru", NULL, "36 Pine Street", NULL},
	{"Tomás Ó Briain", "tomas.obriain@example.ie", "555-0120", "11 Church Road", NULL},
	{"Grace Kim", "grace.kim@example.kr", "555-0121", "150 Ocean Avenue", NULL},
	{"Ahmed Al-Sayed", NULL, "555-0122", "24 Valley Road", NULL},
	{"Emily Carter", "emily.carter@example.com", "555-0123", "5 Rose Court", NULL},
	{"Miguel Ángel Ruiz", "maruiz@example.mx", "555-0124", "83 Market Street", "es"},
	{"Chloé Dubois", "chloe.dubois@example.fr", NULL, "17 Garden Row", NULL},
	{"Robert Washington", NULL, "555-0126", "250 Central Avenue", NULL},
	{"Siobhan Kelly", "siobhan.kelly@example.ie", "555-0127", "2 Meadow Lane", NULL},
	{"Li Wei", "li.wei@example.cn", "555-0128", "64 Harbor Street", NULL},
	{"Dorothy Evans", NULL, "555-0129", "19 Locust Street", NULL},
	{"Mohammed Rahman", "m.rahman@example.bd", "555-0130", "45 Canal Street", NULL},
	{"Ana Lúcia Costa", "analucia@example.br", NULL, "72 Summit Avenue", NULL},
	{"Peter Novak", "peter.novak@example.cz", "555-0132", "6 Forest Road", NULL},
	{"Yolanda Jackson", "yjackson@example.com", "555-0133", "310 Washington Street", NULL},
	{"Hiroshi Tanaka", NULL, "555-0134", "27 Cherry Street", NULL},
	{"Esperanza Morales", "esperanza.m@example.net", "555-0135", "99 Sunset Boulevard", "es"},
	{"Daniel Levi", "daniel.levi@example.il", "555-0136", "13 Ash Street", NULL},
};

struct demo_inquiry {
	const char *channel, *subject, *description;
};

/* Our own inquiry texts, written the way residents write. */
static const struct demo_inquiry inquiries[] = {
	{"phone", "Gas smell in basement", "I can smell gas in the basement of my building since this morning. The landlord is not answering."},
	{"walk-in", "Pothole on Elm Street", "There is a deep pothole in front of number 14. Two cars have blown a tire this week."},
	{"web", "Streetlight out at Maple and 3rd", "The streetlight at the corner of Maple Avenue and 3rd has been out for a week. It is very dark for kids walking home."},
	{"email", "Missed trash pickup", "Our trash was not collected on Tuesday. The whole block was skipped again, third time this month."},
	{"phone", "No heat in apartment", "We have had no heat since Sunday. It is 54 degrees inside and I have a newborn. The landlord says he is waiting for a part."},
	{"web", "Graffiti on library wall", "Someone sprayed graffiti all over the side wall of the branch library on Grove Street."},
	{"email", "Loud music every night", "The bar on Main Street plays loud music until 2 am every night, even on weeknights. We cannot sleep."},
	{"phone", "Tree branch hanging over sidewalk", "A large dead branch is hanging over the sidewalk on Chestnut Lane after the storm. It looks like it could fall on someone."},
	{"web", "Water bill much too high", "My water bill this quarter is three times the usual amount and nothing has changed at home. Could someone check the meter?"},
	{"phone", "Sewage backing up into basement", "Sewage is coming up through the floor drain in our basement. It smells terrible and is spreading."},
	{"web", "Car parked on sidewalk all week", "A grey sedan has been parked on the sidewalk blocking the ramp at the corner for a week. People in wheelchairs cannot get past."},
	{"email", "Abandoned vehicle", "There is an abandoned car with flat tires and no plates on Cedar Court. It has not moved in over a month."},
	{"letter", "Question about senior tax relief", "I am 72 and on a fixed income. I read that there is a property tax relief program for seniors. How do I apply?"},
	{"walk-in", "Help with heating assistance", "I need help paying my heating bill this winter. I was told the city has a fuel assistance program."},
	{"web", "Sidewalk not shoveled", "The sidewalk in front of the vacant store at 400 Main Street has not been shoveled since the snow on Monday. It is solid ice."},
	{"phone", "Downed wire on street", "A power line is down across the road on Bridge Street after the wind. It is sparking."},
	{"email", "Permit for block party", "We would like to hold a block party on Rose Court in June. What permit do we need and how long does it take?"},
	{"web", "Needles in the playground", "There are used needles in the sand at the playground in Lakeside Park. Children play there every day."},
	{"phone", "Flooding on Canal Street", "The storm drain on Canal Street is blocked and the street is flooding. Water is reaching the doorsteps."},
	{"walk-in", "Rats in the alley", "There are rats running in the alley behind the restaurants on Market Street. We see them every evening."},
	{"email", "Request for bulky item pickup", "I have an old sofa and a mattress to get rid of. How do I schedule a bulky item pickup?"},
	{"web", "Broken swing in park", "One of the swings at Summit Park is broken and hanging by one chain."},
	{"phone", "Traffic signal stuck on red", "The traffic light at Main and Washington is stuck on red in all directions. Cars are running it."},
	{"letter", "Thank you and a question", "Thank you for fixing the street light last month. Could the city also trim the hedge that hides the stop sign on Locust Street?"},
	{"email", "Smoke coming from vacant house", "There is smoke coming from the boarded-up house at 5 Cedar Court. I do not see any fire trucks."},
	{"web", "Recycling bin stolen", "Our blue recycling bin was taken from the curb. How do we get a new one?"},
	{"phone", "Carbon monoxide alarm going off", "Our carbon monoxide detector keeps going off in the apartment and the building manager says it is broken. We are worried."},
	{"web", "Construction noise at 6 am", "The construction site on Hill Street starts with jackhammers at 6 am on Saturdays. Is that allowed?"},
	{"email", "Pothole damaged my car", "I hit a huge pothole on Valley Road and it bent my rim. How do I file a claim with the city?"},
	{"walk-in", "Question about SNAP benefits", "My benefits letter says my case will close next month but I sent all my papers. I do not understand what I need to do."},
	{"web", "Dangerous tree leaning on house", "The big oak on the city strip in front of 27 Cherry Street is leaning toward the house and the roots are lifting."},
	{"phone", "Missed recycling collection", "Recycling was not picked up on our street this week. The bins are still out."},
	{"email", "Street sign knocked down", "The stop sign at Ash Street and Pine Street was knocked down. Cars are not stopping."},
	{"web", "Illegal dumping in vacant lot", "Someone dumped tires and construction debris in the vacant lot next to 45 Canal Street."},
	{"letter", "Leak in the street", "Water has been bubbling up through the pavement in front of 13 Ash Street for days. It must be a broken pipe."},
	{"web", "Barking dog all day", "The dog next door barks from 8 am to 6 pm while the owners are at work."},
};

static const char *const follow_ups[] = {
	"Thank you for the quick answer. Is there anything else I need to do?",
	"It is still not fixed. Could someone come and look again?",
	"Here are the photos you asked for. The problem is getting worse.",
	"I called twice but nobody answered. Please call me back.",
	"Gracias. ¿Hay alguna novedad sobre mi caso?",
};

static const char *const replies[] = {
	"Thank you for letting us know. A crew has been scheduled and we will update you when the work is done.",
	"We have passed this to the inspector for your area, who will visit within the week.",
	"Could you tell us the exact address or the nearest cross street? That will help the crew find it.",
	"The work was completed this morning. Please let us know if you see any further problem.",
	"I have checked your account and sent the form you need by mail. Call me if anything is unclear.",
};

/* A small deterministic generator, so every demo office is the same. */
static uint32_t next_rand(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

static struct cw_office *office_as(struct cw_office **cache, const char *path, const char *login,
	char **cause)
{
	for (size_t i = 0; i < CW_ARRAY_LEN(staff); i++) {
		if (strcmp(staff[i].login, login) == 0) {
			if (cache[i] == NULL)
				cache[i] = cw_office_open(path, login, cause);
			return cache[i];
		}
	}
	return NULL;
}

bool office_demo_fill(struct cw_office *o, char **summary, char **cause)
{
	struct cw_queue_query q = {.view = CW_VIEW_EVERYTHING, .limit = 1};
	int64_t existing = 0;
	if (!cw_office_queue_count(o, &q, &existing, cause))
		return false;
	if (existing > 0) {
		*summary = xasprintf("the office already has %lld cases; no demo cases added",
			(long long)existing);
		return true;
	}
	/* The person who made the demo works in constituent services, so their
	 * department view has cases too. */
	if (o->me.department == NULL &&
			!cw_office_staff_add(o, o->me.login, o->me.role, NULL, "constituent-services", cause))
		return false;
	for (size_t i = 0; i < CW_ARRAY_LEN(staff); i++) {
		const struct demo_staff *s = &staff[i];
		if (strcmp(s->login, o->me.login) == 0)
			continue;
		if (!cw_office_staff_add(o, s->login, s->role, s->name, s->department, cause))
			return false;
	}

	/* Walk time forward from 40 days ago to now. */
	bool pinned_before = getenv("CASEWORK_NOW") != NULL;
	cw_time end = cw_now();
	cw_time t = end - (cw_time)40 * 86400;
	const char *path = cw_db_path(o->db);
	struct cw_office *as[CW_ARRAY_LEN(staff)] = {0};
	uint32_t seed = 20261204;
	int made = 0, mine = 0;
	bool ok = true;
	const int n_cases = 320;
	for (int i = 0; ok && i < n_cases; i++) {
		/* Spread intake over the 40 days, denser near the end, office-ish hours. */
		t += (cw_time)(40 * 86400 / n_cases) + (cw_time)(next_rand(&seed) % 3600) - 1800;
		if (t > end - 600)
			t = end - 600;
		const struct demo_person *p = &people[next_rand(&seed) % CW_ARRAY_LEN(people)];
		const struct demo_inquiry *q0 = &inquiries[next_rand(&seed) % CW_ARRAY_LEN(inquiries)];
		/* Walk-ins and calls happen while the office is open; web forms,
		 * letters and email arrive at any hour. */
		cw_time at = t;
		if (strcmp(q0->channel, "walk-in") == 0 || strcmp(q0->channel, "phone") == 0) {
			at = cw_calendar_next_open(o->cal, t);
			if (at != t)
				at += (cw_time)(next_rand(&seed) % 90) * 60;
			if (at > end - 600)
				at = t;
		}
		cw_clock_pin(at);
		struct cw_intake in = {
			.channel = q0->channel, .name = p->name, .email = p->email, .phone = p->phone,
			.address = p->address, .language = p->language,
			.subject = q0->subject, .description = q0->description,
		};
		struct cw_office *desk = office_as(as, path, "ejohnson", cause);
		if (desk == NULL) {
			ok = false;
			break;
		}
		struct cw_case_row c = {0};
		if (!cw_office_intake(desk, &in, &c, NULL, cause)) {
			ok = false;
			break;
		}
		made++;
		/* What happened next: older cases are further along. */
		double age = (double)(end - t) / (40.0 * 86400);
		uint32_t roll = next_rand(&seed) % 100;
		int stage = age > 0.5 ? (roll < 70 ? 4 : roll < 85 ? 3 : roll < 92 ? 2 : 1)
			: age > 0.15 ? (roll < 30 ? 4 : roll < 55 ? 3 : roll < 75 ? 2 : roll < 90 ? 1 : 0)
			: (roll < 10 ? 3 : roll < 35 ? 2 : roll < 60 ? 1 : 0);
		struct cw_office *who = o;
		if (c.assignee != NULL) {
			struct cw_office *a = office_as(as, path, c.assignee, NULL);
			if (a != NULL)
				who = a;
		} else if (stage > 0 || (next_rand(&seed) % 4) == 0) {
			/* Unassigned cases: some are given to the person who made the demo. */
			if (!cw_office_assign(o, c.id, c.version, o->me.login, cause)) {
				ok = false;
			}
			mine++;
			c.version++;
		}
		int64_t version = c.version;
		cw_time step = at;
		for (int s = 1; ok && s <= stage; s++) {
			step += 3600 * (cw_time)(2 + next_rand(&seed) % 30);
			/* Staff answer during office hours. */
			cw_time open_at = cw_calendar_next_open(o->cal, step);
			if (open_at != step)
				step = open_at + (cw_time)(next_rand(&seed) % 120) * 60;
			if (step > end - 60)
				break;
			cw_clock_pin(step);
			char *why = NULL;
			if (s == 1) {
				ok = cw_office_reply(who, c.id, version, replies[next_rand(&seed) % CW_ARRAY_LEN(replies)],
					NULL, (next_rand(&seed) % 3) == 0 ? "waiting" : NULL, &why);
			} else if (s == 2) {
				ok = cw_office_inbound(who, c.id, follow_ups[next_rand(&seed) % CW_ARRAY_LEN(follow_ups)],
					NULL, &why);
				version--;   /* inbound does not check a version; reload below */
			} else if (s == 3) {
				ok = cw_office_reply(who, c.id, version, replies[3], NULL, "resolved", &why);
			} else {
				ok = cw_office_set_status(who, c.id, version, "closed", &why);
			}
			if (!ok) {
				cw_fail(cause, "demo case %s step %d: %s", c.ref, s, why);
				free(why);
				break;
			}
			/* Versions moved on: read the current one. */
			struct cw_case_detail d;
			if (cw_office_case_load(o, NULL, c.id, &d, NULL)) {
				version = d.c.version;
				cw_case_detail_finish(&d);
			}
		}
		cw_case_row_finish(&c);
	}
	for (size_t i = 0; i < CW_ARRAY_LEN(staff); i++)
		cw_office_close(as[i]);
	if (pinned_before)
		cw_clock_pin(end);
	else
		cw_clock_unpin();
	if (!ok)
		return false;
	*summary = xasprintf("demo office: %zu staff, %d cases (%d assigned to %s)",
		CW_ARRAY_LEN(staff), made, mine, o->me.login);
	return true;
}
