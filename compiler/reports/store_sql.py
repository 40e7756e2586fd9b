"""The SQL that turns raw NDJSON lines into the flat statements table, inside DuckDB.

Parsing happens in the engine (DuckDB's JSON reader with an explicit column spec), never line
by line in Python: a million statements load in a few seconds.  Lines the typed reader cannot
read are counted, and only then does a slower pass over the raw lines say why.
"""
from __future__ import annotations

from ..vocabulary import Extension, Verb


def _fields(*iris: str) -> str:
    """A STRUCT of the extensions we read, keyed by IRI (much cheaper to read than a MAP)."""
    return "STRUCT(" + ", ".join(f'"{iri}" VARCHAR' for iri in iris) + ")"


CONTEXT_EXTENSIONS = _fields(Extension.COHORT, Extension.BLOCK_KIND, Extension.ASSESSMENT_KIND)
RESULT_EXTENSIONS = _fields(Extension.ENDING, Extension.PATH, Extension.WORDS)

COLUMNS = f"""{{'id': 'VARCHAR',
 'actor': 'STRUCT(objectType VARCHAR, mbox VARCHAR, mbox_sha1sum VARCHAR, openid VARCHAR, name VARCHAR,
                  account STRUCT(homePage VARCHAR, name VARCHAR), member JSON)',
 'verb': 'STRUCT(id VARCHAR)',
 'object': 'STRUCT(id VARCHAR, objectType VARCHAR)',
 'result': 'STRUCT(success BOOLEAN, completion BOOLEAN, response VARCHAR, duration VARCHAR,
                   score STRUCT(scaled DOUBLE, raw DOUBLE, min DOUBLE, max DOUBLE), extensions {RESULT_EXTENSIONS})',
 'context': 'STRUCT(registration VARCHAR, revision VARCHAR, extensions {CONTEXT_EXTENSIONS},
                    contextActivities STRUCT(parent STRUCT(id VARCHAR)[], grouping STRUCT(id VARCHAR)[]))',
 'timestamp': 'VARCHAR', 'stored': 'VARCHAR'}}"""


STATEMENTS_DDL = """
CREATE TABLE IF NOT EXISTS statements (
    id VARCHAR, stored TIMESTAMP, "timestamp" TIMESTAMP, verb VARCHAR,
    actor_key VARCHAR, actor_name VARCHAR, registration VARCHAR, object_iri VARCHAR,
    module_id VARCHAR, block_id VARCHAR, item_id VARCHAR, block_kind VARCHAR,
    assessment_kind VARCHAR, cohort VARCHAR, revision VARCHAR, success BOOLEAN,
    completion BOOLEAN, scaled DOUBLE, raw DOUBLE, min DOUBLE, max DOUBLE, response VARCHAR,
    duration_s DOUBLE, ending VARCHAR, path VARCHAR, words INTEGER
);
CREATE TABLE IF NOT EXISTS voided_ids (id VARCHAR PRIMARY KEY);
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS rejects (reason VARCHAR PRIMARY KEY, n BIGINT);
"""


def quote(text: str) -> str:
    """A SQL string literal (views cannot take parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _ext(part: str, iri: str) -> str:
    return f"{part}.extensions[{quote(iri)}]"


def lines_sql(path: str) -> str:
    """Every non-blank line of the file, read as one text column (the slow path for rejects)."""
    return f"""SELECT line FROM read_csv({quote(path)}, columns={{'line': 'VARCHAR'}}, delim=chr(1),
    quote='', escape='', header=false, auto_detect=false, strict_mode=false, null_padding=true,
    max_line_size=100000000) WHERE line IS NOT NULL AND trim(line) <> ''"""


def unreadable_sql(path: str) -> str:
    """Why lines failed the typed read: not JSON, not an object, or a field of the wrong type."""
    return f"""SELECT CASE WHEN NOT json_valid(line) THEN 'bad JSON'
        WHEN try(json_type(line)) <> 'OBJECT' THEN 'not a JSON object'
        ELSE 'wrong type or no known field' END AS reason, count(*)
    FROM ({lines_sql(path)}) GROUP BY 1"""


def parse_sql(path: str, fmt: str = "newline_delimited") -> str:
    """Stage 2: the engine's JSON reader with an explicit column spec, then the reject reason."""
    return f"""
CREATE OR REPLACE TEMP VIEW parsed AS
SELECT *, CASE
    WHEN id IS NULL AND actor IS NULL AND verb IS NULL AND object_iri IS NULL THEN 'unreadable'
    WHEN id IS NULL THEN 'missing id'
    WHEN length(id) <> 36 OR try_cast(id AS UUID) IS NULL THEN 'id is not a UUID'
    WHEN actor IS NULL THEN 'missing actor'
    WHEN verb IS NULL THEN 'missing verb'
    WHEN object_iri IS NULL THEN 'missing object'
    WHEN timestamp_text IS NOT NULL AND timestamp_at IS NULL THEN 'bad timestamp'
    ELSE NULL END AS reject
FROM (SELECT *, try_cast(timestamp_text AS TIMESTAMPTZ)::TIMESTAMP AS timestamp_at,
             try_cast(stored_text AS TIMESTAMPTZ)::TIMESTAMP AS stored_at FROM (
  SELECT id, actor, verb.id AS verb, object.id AS object_iri, object.objectType AS object_type,
    stored AS stored_text, "timestamp" AS timestamp_text,
    context.registration AS registration, context.revision AS revision,
    {_ext("context", Extension.COHORT)} AS cohort,
    {_ext("context", Extension.BLOCK_KIND)} AS block_kind,
    {_ext("context", Extension.ASSESSMENT_KIND)} AS assessment_kind,
    result.success AS success, result.completion AS completion, result.score.scaled AS scaled,
    result.score.raw AS raw, result.score.min AS min, result.score.max AS max,
    result.response AS response, result.duration AS duration,
    {_ext("result", Extension.ENDING)} AS ending, {_ext("result", Extension.PATH)} AS path,
    {_ext("result", Extension.WORDS)} AS words,
    list_transform(context.contextActivities.parent, lambda a: a.id) AS parent_ids,
    list_transform(context.contextActivities.grouping, lambda a: a.id) AS grouping_ids
  FROM read_json({quote(path)}, format='{fmt}', columns={COLUMNS}, ignore_errors=true)
))
"""


ACTOR_KEY = """coalesce(actor.mbox, actor.mbox_sha1sum, actor.openid,
    CASE WHEN actor.account.name IS NOT NULL THEN coalesce(actor.account.homePage, '') || '|' || actor.account.name END,
    'group:' || md5(coalesce(actor.member::VARCHAR, '')))"""

# ISO 8601 duration -> seconds, by rewriting it into DuckDB's interval syntax (much faster than a
# regular expression): "PT1M55.41S" -> " 1 minutes 55.41 seconds".  Unparseable: NULL.
DURATION_SECONDS = """epoch(try_cast(replace(replace(replace(replace(replace(replace(upper(duration),
    'P', ''), 'T', ' '), 'D', ' days '), 'H', ' hours '), 'M', ' minutes '), 'S', ' seconds') AS INTERVAL))"""


def incoming_sql(course: str) -> str:
    """Stage 3, the one pass over the file: each statement as a flat row, with its outcome
    (rejected, a void, another course, this course) and, for a void, its target."""
    c = quote(course)
    rest = f"string_split(substr(anchor, {len(course) + 2}), '/')"
    return f"""
CREATE OR REPLACE TEMP VIEW incoming AS
SELECT CASE WHEN reject IS NOT NULL THEN 'reject' WHEN is_void THEN 'void'
            WHEN anchor IS NULL THEN 'other' ELSE 'course' END AS outcome, reject,
  lower(id) AS id, coalesce(stored_at, timestamp_at) AS stored, coalesce(timestamp_at, stored_at) AS "timestamp",
  verb, {ACTOR_KEY} AS actor_key,
  coalesce(actor.account.name, actor.name, actor.mbox, actor.mbox_sha1sum, actor.openid, 'group') AS actor_name,
  registration, CASE WHEN is_void THEN lower(object_iri) ELSE object_iri END AS object_iri,
  nullif({rest}[1], '') AS module_id, {rest}[2] AS block_id, {rest}[3] AS item_id,
  block_kind, assessment_kind, cohort, revision, success, completion, scaled, raw, min, max,
  response, CASE WHEN duration IS NOT NULL THEN {DURATION_SECONDS} END AS duration_s, ending, path, try_cast(words AS INTEGER) AS words
FROM (
  SELECT *, CASE WHEN reject IS NOT NULL OR is_void THEN NULL
      WHEN object_iri = {c} OR starts_with(object_iri, {c} || '/') THEN object_iri
      ELSE list_sort(list_filter(list_concat(coalesce(parent_ids, []), coalesce(grouping_ids, [])),
                     lambda x: x = {c} OR starts_with(x, {c} || '/')), 'DESC')[1]
    END AS anchor
  FROM (SELECT *, reject IS NULL AND verb = '{Verb.VOIDED}' AND object_type = 'StatementRef' AS is_void FROM parsed)
)
"""


COLUMNS_OUT = ("id, stored, \"timestamp\", verb, actor_key, actor_name, registration, object_iri, module_id, "
               "block_id, item_id, block_kind, assessment_kind, cohort, revision, success, completion, scaled, "
               "raw, min, max, response, duration_s, ending, path, words")


# The figures of a load in one pass: outcomes, reject reasons, last `stored`, void targets.
BATCH_SQL = """
CREATE OR REPLACE TEMP TABLE batch AS
SELECT outcome, reject, count(*) AS n, max(stored) AS last_stored,
       list(DISTINCT object_iri) FILTER (WHERE outcome = 'void') AS void_targets
FROM incoming GROUP BY ALL
"""

# This course's statements that the store has neither seen nor seen voided.
INSERT_SQL = f"""
INSERT INTO statements
SELECT {COLUMNS_OUT} FROM incoming
WHERE outcome = 'course'
  AND id NOT IN (SELECT id FROM statements)
  AND id NOT IN (SELECT id FROM voided_ids)
"""

# A batch that repeats an id inserts it twice: keep the first copy (by `stored`).
DEDUP_SQL = """
DELETE FROM statements WHERE rowid IN (
  SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY id ORDER BY stored, rowid) AS copy
    FROM statements WHERE id IN (SELECT id FROM statements GROUP BY id HAVING count(*) > 1))
  WHERE copy > 1)
"""
