-- casework office database, version 2: a prefix index for search as you type.
-- Without it a short prefix ("ma*") expands to hundreds of terms and every
-- probe of the queue's rows merges all their lists (1.5 s on a million
-- cases); with it one list (a few ms). Core searches words shorter than
-- three letters as whole words, so only 3-letter prefixes are indexed.
-- The tables are rebuilt from their content tables.

DROP TABLE case_fts;
CREATE VIRTUAL TABLE case_fts USING fts5(
	subject, description,
	content='cases', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2',
	prefix='3'
);
INSERT INTO case_fts(case_fts) VALUES('rebuild');

DROP TABLE constituent_fts;
CREATE VIRTUAL TABLE constituent_fts USING fts5(
	full_name, preferred_name, email,
	content='constituents', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2',
	prefix='3'
);
INSERT INTO constituent_fts(constituent_fts) VALUES('rebuild');
