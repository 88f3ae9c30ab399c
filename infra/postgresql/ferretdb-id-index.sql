-- Reads by _id on FerretDB v1 over PostgreSQL use an index (issue 15).
--
-- FerretDB v1.24 keeps a collection as a table with one jsonb column `_jsonb` and makes its indexes btrees on
-- expressions like ((_jsonb -> '_id')). It pushes a filter on a field down as `(_jsonb -> 'field') @> $1`, which
-- a btree cannot answer: every findOne({_id}) and the read behind every updateOne({_id}) is a sequential scan of
-- the table (an attendance interval's close took seconds once the collection held 100,000 documents).
-- A GIN index on the same expression answers `@>`. FerretDB cannot create one, so this event trigger gives one to
-- every table with a `_jsonb` column when it is created (FerretDB creates a collection's table on first use), and
-- the block at the end to the tables that exist already. FerretDB does not see these indexes; dropping a
-- collection drops its table and them with it. Idempotent: infra/balai runs it at every start (superuser only;
-- with a server where the role is not superuser it is skipped with a warning).
CREATE OR REPLACE FUNCTION balai_index_ferretdb_id(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  rel record;
BEGIN
  SELECT c.relname, n.nspname INTO rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = tbl AND attname = '_jsonb' AND NOT attisdropped) THEN
    RETURN;
  END IF;
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin ((_jsonb -> %L))', left(rel.relname, 52) || '_balai_id', tbl, '_id');
END $$;

CREATE OR REPLACE FUNCTION balai_index_new_ferretdb_tables() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE
  cmd record;
BEGIN
  FOR cmd IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE' AND object_type = 'table' LOOP
    PERFORM balai_index_ferretdb_id(cmd.objid::regclass);
  END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS balai_ferretdb_id_index;
CREATE EVENT TRIGGER balai_ferretdb_id_index ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
  EXECUTE FUNCTION balai_index_new_ferretdb_tables();

DO $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT c.oid FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = '_jsonb' AND NOT a.attisdropped
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  LOOP
    PERFORM balai_index_ferretdb_id(t.oid::regclass);
  END LOOP;
END $$;
