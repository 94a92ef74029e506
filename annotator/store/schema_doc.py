"""Generated from docs/schema.md by ``python -m annotator.datasette docs/schema.md``: do not edit."""

TABLES = {'schema_migrations': {'description': 'One row per schema migration applied to this file. `PRAGMA user_version` holds '
                                      'the number of the last one; the app refuses files with a higher number than it '
                                      'knows and migrates older ones when it opens them.',
                       'columns': {'version': 'migration number, from 1',
                                   'name': 'what the migration does (`initial schema`)',
                                   'applied_at': 'when it ran (timestamp)'}},
 'documents': {'description': 'One row per imported article. The text never changes after import; metadata can be '
                              'edited.',
               'columns': {'id': 'UUID',
                           'title': "headline: from the file's metadata (HTML `<title>`/`og:title`, DOCX/PDF title, "
                                    'Markdown heading), else the first non-empty line',
                           'text': 'the article text, newlines normalised to `\\n` (see Offsets)',
                           'sha256': 'hex SHA-256 of the UTF-8 bytes of `text`; importing the same text twice is '
                                     'refused as a duplicate',
                           'outlet': 'publication or site (HTML `og:site_name`; `source`/`sitename` in JSONL)',
                           'author': 'byline',
                           'url': 'address of the article',
                           'published': "publication date as found, usually ISO `YYYY-MM-DD` (never a DOCX/PDF file's "
                                        'own creation time: that is `file_created` in `metadata`)',
                           'language': 'language code if known (`en`, `ar`)',
                           'status': "the reviewer's progress on the document",
                           'metadata': 'every other field the source carried (see below)',
                           'source_path': 'the file it was imported from',
                           'source_format': '`txt`, `md`, `html`, `docx`, `pdf` or `jsonl`',
                           'position': 'order in the document list (1, 2, 3… in import order)',
                           'imported_at': 'when it was imported (timestamp)',
                           'assigned_to': 'the reviewer the document is assigned to (the document list\'s "Assigned to '
                                          'me" filter), or NULL'}},
 'labels': {'description': 'The label schema: what reviewers can mark. A new project has three span labels: Claim '
                           '(hotkey `1`), Actor (`2`) and Figure (`3`).',
            'columns': {'id': 'UUID; annotations point at it, so renaming a label keeps its annotations',
                        'name': 'shown in the palette and exports (`Claim`)',
                        'color': 'highlight colour, `#RRGGBB` in upper case',
                        'kind': 'what the label applies to: a stretch of text, a link between two annotations, or a '
                                'whole document',
                        'hotkey': 'key that applies the label (`1`–`9`); at most one label holds a key: giving it to '
                                  'one label takes it from another',
                        'description': 'guidance for reviewers',
                        'attributes': 'definitions of the attributes an annotation with this label can carry',
                        'position': 'order in the palette',
                        'role': 'what the label is for, whatever it is called: attribution and entity linking look for '
                                '`actor` labels, the Figures table for `figure` labels, the claims view for `claim` '
                                'labels. Renaming a label keeps its role.'}},
 'annotators': {'description': 'The reviewers who have made annotations in this project, recorded when their first '
                               'annotation is saved.',
                'columns': {'name': 'reviewer name, as in `annotations.annotator`',
                            'color': "colour to show the reviewer's layer in, `#RRGGBB` (NULL: chosen by the app)",
                            'created_at': 'when the reviewer first annotated (timestamp)'}},
 'entities': {'description': 'Canonical actors that Actor annotations point at, so "SOHR", "the Observatory" and '
                             '"Syrian Observatory for Human Rights" count as one actor across outlets.',
              'columns': {'id': 'UUID',
                          'name': 'canonical name',
                          'type': '`person`, `organisation`, `armed group`, `state`, `community` or `other`',
                          'aliases': 'other names, trimmed, distinct (case-insensitively), never repeating `name`',
                          'note': "the entity's description (free text)",
                          'created_at': 'timestamp',
                          'external_id': 'an identifier elsewhere, e.g. a Wikidata QID (`Q12345`): stored as text, '
                                         'never fetched'}},
 'annotations': {'description': 'One row per highlighted span, per reviewer.',
                 'columns': {'id': 'UUID',
                             'document_id': 'the document',
                             'start': 'first code point of the span (see Offsets)',
                             'end': 'code point after the span; quote it as `"end"` in SQL',
                             'label_id': 'the label (join `labels` for its name)',
                             'quote': 'the annotated text, `text[start:end]` (W3C TextQuoteSelector `exact`)',
                             'prefix': 'up to 32 characters before the span, for re-anchoring',
                             'suffix': 'up to 32 characters after the span',
                             'annotator': 'reviewer who made it',
                             'layer': 'see Layers',
                             'entity_id': 'the canonical actor an Actor annotation names',
                             'attributes': 'attribute values, by the names the label defines',
                             'note': "the reviewer's free-text note",
                             'created_at': 'timestamp',
                             'updated_at': 'timestamp of the last edit'}},
 'relations': {'description': 'Links between two annotations, possibly in different documents (the same claim in two '
                              'outlets).',
               'columns': {'id': 'UUID',
                           'source_id': 'the annotation the link starts from (a Claim)',
                           'target_id': 'the annotation it points to (the Actor it is attributed to)',
                           'label': "the relation's name: `attributed-to`, `same-claim`, `supports`, `contradicts`, or "
                                    'the name of a label of kind `relation`',
                           'annotator': 'reviewer who made it',
                           'layer': 'see Layers',
                           'note': 'free text',
                           'created_at': 'timestamp'}},
 'change_log': {'description': 'Every insert, update and delete on `documents`, `labels`, `annotations`, `relations` '
                               'and `entities` adds a row here, written by triggers '
                               '(`log_<table>_<insert|update|delete>`), so a write by `sqlite3`, Datasette, a script '
                               "or a second Annotator window is logged exactly like the app's own. An open project "
                               'notices that the file changed (`PRAGMA data_version`), reads the rows after the last '
                               '`seq` it saw and refreshes its views; undo compares rows with what it wrote, so it '
                               "never overwrites another program's change. Nothing reads rows older than the last open "
                               'window saw: deleting old rows is safe when no Annotator has the project open.',
                'columns': {'seq': 'order of the writes',
                            'table_name': 'the table written',
                            'row_id': '`id` of the row written',
                            'op': 'what happened to it',
                            'old': "the row before an update or delete (a document's `text` left out); NULL for an "
                                   'insert'}},
 'search_rows': {'description': "The full-text index's own row numbers, one per document (schema 3). FTS5 keys its "
                                'index by an integer that must never change; `documents` has a text `id`, and its '
                                'hidden `rowid` may be renumbered by `VACUUM`, so each document gets a stable one '
                                'here. Filled and emptied by the triggers `search_insert` and `search_delete` on '
                                '`documents`; not logged in `change_log`.',
                 'columns': {'rowid': "the document's row in `documents_fts`",
                             'document_id': 'the document (`documents.id`)'}},
 'documents_fts': {'description': "An SQLite FTS5 index over every document's `title` and `text` (tokenizer `unicode61 "
                                  'remove_diacritics 2`: accents folded, so "Tartus" finds "Tartús"; schema 3 kept '
                                  'accents, and a later migration dropped and rebuilt the index with this tokenizer), '
                                  'behind the corpus search (`annotator search`, the Search dock). It stores no copy '
                                  'of the texts: it reads them through the view `search_content` (`search_rows` joined '
                                  'to `documents`). The triggers `search_insert`, `search_update` (title or text) and '
                                  '`search_delete` on `documents` keep it in step with every write, by Annotator or '
                                  'any other program; the migration that created it built it for the documents already '
                                  'there. To rebuild it by hand: `INSERT INTO documents_fts (documents_fts) VALUES '
                                  "('rebuild');`. Query it with `MATCH` and join `search_rows` for the document:",
                   'columns': {'title': "the document's title (indexed)", 'text': "the document's text (indexed)"}},
 'documents_fts_data': {'description': "FTS5's own storage for `documents_fts` (a shadow table SQLite creates and "
                                       'maintains; never write it).',
                        'columns': {'id': 'FTS5 block id', 'block': 'FTS5 index data'}},
 'documents_fts_idx': {'description': "FTS5's own term index for `documents_fts` (shadow table; never write it).",
                       'columns': {'segid': 'FTS5 segment', 'term': 'indexed term prefix', 'pgno': 'page number'}},
 'documents_fts_docsize': {'description': "FTS5's token counts per row of `documents_fts` (shadow table; never write "
                                          'it).',
                           'columns': {'id': 'the `search_rows.rowid`', 'sz': 'tokens per column'}},
 'documents_fts_config': {'description': "FTS5's settings for `documents_fts` (shadow table; never write it).",
                          'columns': {'k': 'setting', 'v': 'value'}},
 'suggestion_rejections': {'description': 'Suggestions (proposed figures and actors) a reviewer rejected, so they are '
                                          'not offered to that reviewer again (schema 3). A suggestion is never an '
                                          'annotation; only accepting one writes to `annotations`. Not logged in '
                                          '`change_log` (so team sync never pushes it: the server has no such table); '
                                          'a rejection is an undo step like every change (undo offers the suggestion '
                                          "again), and `annotator merge` brings another file's rejections along "
                                          "(re-pointed at this project's document and label ids, once each) in the "
                                          'merge\'s undo step. Each row has an `id` (since the migration "rejected '
                                          'suggestions get an id"; existing rows got new UUIDs) so that deleting a '
                                          'document records its rejections with its other rows, and undoing the delete '
                                          'brings them back. One row per reviewer and span: `(document_id, start, end, '
                                          'label_id, annotator)` is unique.',
                           'columns': {'id': 'UUID of the rejection',
                                       'document_id': 'the document',
                                       'start': 'first code point of the suggested span',
                                       'end': 'one past its last code point',
                                       'label_id': 'the label suggested (`labels.id`)',
                                       'annotator': 'the reviewer who rejected it',
                                       'rejected_at': 'when (ISO 8601, UTC)'}},
 'document_versions': {'description': 'Revised articles (schema 4): a document imported as a new version of another '
                                      '(same URL, or same title and outlet, or `import --as-revision-of ID`) gets a '
                                      'row here. Both versions stay documents with their own annotations; the new one '
                                      "gets copies of the old one's annotations re-anchored by quote, prefix and "
                                      'suffix (`annotator/revisions.py`). Not logged in `change_log`; written in the '
                                      'same transaction and undo step as the import.',
                       'columns': {'id': 'the newer version',
                                   'previous_id': 'the version it revises',
                                   'created_at': 'when it was imported as a version (ISO 8601, UTC)'}},
 'unplaced_annotations': {'description': 'Annotations of a previous version that could not be placed in a new one '
                                         '(their quote is gone or changed, a figure revised): listed for review, never '
                                         'deleted; the annotation stays on the old version (schema 4).',
                          'columns': {'id': 'UUID',
                                      'version_id': 'the new version it could not be placed in',
                                      'annotation_id': 'the annotation, on the previous version',
                                      'reason': 'why (`the quoted text is not in the new version`)'}},
 'sync_state': {'description': "Team sync (schema 6, `docs/team.md`): key/value pairs of this copy's sync. Keys: `me` "
                               '(the server login this file syncs as; one file belongs to one reviewer), `lead` (`1` '
                               'when that login leads), `server` (the URL without password; passwords are never stored '
                               'here), `client` (a UUID naming this copy in operation ids), `pushed_seq` (the last '
                               "`change_log.seq` pushed) and `cursor` (the server's pull cursor: a PostgreSQL "
                               'transaction id). Absent until the first sync; while `me` is absent, every local edit '
                               'is allowed.',
                'columns': {'key': 'the setting', 'value': 'its value'}},
 'sync_times': {'description': 'When each `change_log` entry was made (filled by the trigger `sync_time`), to '
                               'millisecond: the clock of "the later edit wins" when the same row was edited by its '
                               'owner on two machines.',
                'columns': {'seq': 'the `change_log.seq`', 'at': 'ISO 8601 UTC time of the change'}},
 'sync_pulled': {'description': "Ranges of `change_log` entries that a pull wrote (in the pull's own transaction), "
                                'which a push leaves out: what came from the server is never sent back as this '
                                "reviewer's edit.",
                 'columns': {'first_seq': 'first `change_log.seq` of the range', 'last_seq': 'last one (inclusive)'}},
 'sync_keys': {'description': 'Which server row a local row is, where their keys differ. Labels: a label is matched by '
                              'name the first time (each file makes its own default labels), then by this mapping, so '
                              'a renamed label stays one label. Documents need none (matched by `sha256`), nor the '
                              'rest (UUIDs everywhere).',
               'columns': {'table_name': 'the table',
                           'local_id': "the row's `id` here",
                           'server_id': 'its key on the team server'}},
 'figure_parses': {'description': "A **derived** table: each figure quote's parse, so the Figures table, the figures "
                                  'dock and the casualty export skip the figure parser. A parse is a pure function of '
                                  "the quote and the parser's version (`annotator/figures.py` `PARSER_VERSION`), so "
                                  'rows are keyed by the quote text, not by annotation. The writes that create or '
                                  'change a figure annotation (add, edit, relabel, re-anchor, import, merge, undo and '
                                  'redo of them) store the parse of its quote in the same transaction; `annotator '
                                  'figures --reindex` fills it for an existing project. Readers look a quote up and '
                                  'parse only on a miss: no row, a row of another parser version, or one that does not '
                                  'decode as a parse would (`annotator/figure_values.py`); they never write, so a '
                                  'read-only file exports. Not logged in `change_log`, not synced, not merged, not '
                                  'undone (a row is never wrong, only unused). **Safe to delete**: `DELETE FROM '
                                  'figure_parses` makes every read parse again. Do not edit `parsed` by hand: a '
                                  "well-formed row of the current version is believed (correct a figure's numbers "
                                  'through its attributes instead).',
                   'columns': {'quote': "an annotation's quote, exactly as stored in `annotations.quote`",
                               'parser': 'the parser version that made the row (`PARSER_VERSION`); another version is '
                                         'a miss',
                               'parsed': 'compact JSON `[value, lower, upper, qualifier, unit]` as the Figures table '
                                         'shows them, e.g. `[1200,1200,null,"at least","civilians"]`; all `null` when '
                                         'the quote holds no figure'}},
 'document_tokens': {'description': "A **derived** table (the last migration): each text's tokens "
                                    '(`annotator/tokens.py`), so the CoNLL export reads them instead of tokenizing. '
                                    "Tokens are a pure function of the text and the tokenizer's version, so rows are "
                                    "keyed by the text's SHA-256, not by document (two documents with one text share a "
                                    'row). The writes that insert a document or change its text (add, import, merge, a '
                                    "new version of a revised article, a team sync's pull, undo and redo of them) "
                                    'store its tokens in the same transaction, and drop the rows of texts no document '
                                    'holds any more (a delete, an undone import); the migration that made the table '
                                    'tokenized the texts already in the file. A reader believes a row only when its '
                                    '`sha256` is the hash of the text it read (never `documents.sha256`), its '
                                    '`tokenizer` is the current one, `starts` and `ends` are whole 32-bit arrays of '
                                    'one length with as many `words`, and the last end lies inside the text '
                                    '(`annotator/stored_tokens.py`); anything else is a miss, tokenized as before. '
                                    'Readers never write, so a read-only file exports. Not logged in `change_log`, not '
                                    'synced, not merged, not undone. **Safe to delete**: `DELETE FROM document_tokens` '
                                    'makes every export tokenize again (rows of an older tokenizer are replaced when '
                                    'their text is written again, or by `annotator reindex`).',
                     'columns': {'sha256': 'hex SHA-256 of the text in UTF-8, as `documents.sha256`',
                                 'tokenizer': "what made the tokens: `PATTERN_VERSION` and Python's Unicode version, "
                                              'e.g. `1/unicode-14.0.0` (`annotator/tokens.py` `TOKENIZER`); another '
                                              'value is a miss',
                                 'starts': "each token's start (a code point offset) as a little-endian unsigned "
                                           '32-bit integer',
                                 'ends': "each token's end (exclusive), the same way",
                                 'words': "the tokens' text joined by line breaks (a token never holds whitespace); "
                                          'empty for a text without tokens'}}}

QUERIES = [{'name': 'every_figure_with_the_outlet_and',
  'title': 'Every figure with the outlet and title of its document, and the value a reviewer confirmed',
  'sql': 'SELECT d.outlet, d.title, a.quote,\n'
         "       json_extract(a.attributes, '$.value') AS value,\n"
         "       json_extract(a.attributes, '$.qualifier') AS qualifier,\n"
         '       a.annotator\n'
         'FROM annotations AS a\n'
         'JOIN labels AS l ON l.id = a.label_id\n'
         'JOIN documents AS d ON d.id = a.document_id\n'
         "WHERE l.name = 'Figure'\n"
         'ORDER BY d.outlet, d.title, a.start;'},
 {'name': 'annotations_per_label_and_reviewer',
  'title': 'Annotations per label and reviewer',
  'sql': 'SELECT l.name AS label, a.annotator, a.layer, count(*) AS n\n'
         'FROM annotations AS a JOIN labels AS l ON l.id = a.label_id\n'
         'GROUP BY l.name, a.annotator, a.layer\n'
         'ORDER BY l.position, a.annotator;'},
 {'name': 'claims_with_the_actor_they_are',
  'title': 'Claims with the actor they are attributed to',
  'sql': 'SELECT d.title, claim.quote AS claim, actor.quote AS actor, e.name AS entity\n'
         'FROM relations AS r\n'
         'JOIN annotations AS claim ON claim.id = r.source_id\n'
         'JOIN annotations AS actor ON actor.id = r.target_id\n'
         'LEFT JOIN entities AS e ON e.id = actor.entity_id\n'
         'JOIN documents AS d ON d.id = claim.document_id\n'
         "WHERE r.label = 'attributed-to';"},
 {'name': 'every_name_an_entity_goes_by',
  'title': 'Every name an entity goes by, one row each',
  'sql': 'SELECT e.name, alias.value AS alias\nFROM entities AS e, json_each(e.aliases) AS alias\nORDER BY e.name;'},
 {'name': 'check_that_every_quote_matches_its',
  'title': 'Check that every quote matches its offsets (returns no rows in a healthy file)',
  'sql': 'SELECT a.id, a.quote, substr(d.text, a.start + 1, a."end" - a.start) AS at_offsets\n'
         'FROM annotations AS a JOIN documents AS d ON d.id = a.document_id\n'
         'WHERE substr(d.text, a.start + 1, a."end" - a.start) <> a.quote;'}]
