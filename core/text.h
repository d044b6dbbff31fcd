#ifndef CW_TEXT_H
#define CW_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Text helpers built on utf8proc. All strings are UTF-8. Nothing here touches
 * a terminal; the TUI draws what cw_text_visible returns. */

/* True when s[0..len) is valid UTF-8 (no overlongs, surrogates or code points
 * past U+10FFFF). On false, *bad_offset (if not NULL) is the byte offset of
 * the first bad byte. */
bool cw_utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Validate and normalize to NFC for storage. On success returns a new string
 * (caller frees). On invalid UTF-8 returns NULL and sets *cause to a message
 * naming `field` and the byte offset, e.g.
 * "name: invalid UTF-8 at byte 4 (0xff)". */
char *cw_text_nfc(const char *s, const char *field, char **cause);

/* Matching key: NFKC case fold with accents (combining marks) stripped, so
 * "Gás", "GAS" and "gas" give the same key. Invalid bytes become U+FFFD.
 * Returns a new string. */
char *cw_text_fold(const char *s);

/* Display width in terminal columns, by grapheme cluster and East Asian
 * width (CJK = 2, combining marks = 0). Control characters count as the width
 * of their cw_text_visible rendering. */
int cw_text_width(const char *s);

/* How many bytes of s fit in max_cols columns without cutting a grapheme
 * cluster. *used_cols (if not NULL) gets the columns those bytes take. */
size_t cw_text_fit(const char *s, int max_cols, int *used_cols);

/* A copy of s[0..len) safe to send to a terminal: C0/C1 controls, DEL, ESC,
 * zero-width and bidi formatting characters (Cf category, U+200B..U+200F,
 * U+202A..U+202E, U+2066..U+2069, U+FEFF, ...) become visible placeholders
 * such as "<U+202E>" or "^[" and "\n" is kept only when keep_newlines is set;
 * tab becomes one space; invalid bytes become "\xNN". Returns a new string. */
char *cw_text_visible(const char *s, size_t len, bool keep_newlines);

/* Title case, Unicode-aware: "josé álvarez" -> "José Álvarez",
 * "ÉMILE" -> "Émile". Returns a new string. */
char *cw_text_title(const char *s);
char *cw_text_upper(const char *s);
char *cw_text_lower(const char *s);

/* Does `needle` occur in `haystack` as whole words, comparing fold keys
 * (so a phrase matches as a phrase: "gas leak" matches "a GAS  Leak here"
 * but "gas" does not match "gasket")? Both arguments are raw text; they are
 * folded here. */
bool cw_text_has_words(const char *haystack, const char *needle);

/* Cut s to at most max_cols columns, adding "…" when it was cut (the
 * ellipsis counts in max_cols). Never cuts a cluster. Returns a new string. */
char *cw_text_truncate(const char *s, int max_cols);

/* Word-wrap s to lines of at most `cols` columns, breaking at spaces where it
 * can and inside a word only when a word is longer than a line. Returns the
 * number of lines; *lines gets a new array of new strings (caller frees each
 * and the array). Existing newlines start new lines. */
size_t cw_text_wrap(const char *s, int cols, char ***lines);

#endif
