-- Time-ordered ids (UUID version 7: the first 48 bits are the millisecond) for the rows the ingest
-- writes by the thousand. A random id (version 4) put each new finding at a random place in every
-- index that holds its id (the primary key, the open-findings indexes, sightings, episodes, the
-- read model's links), so a 20k-finding ingest touched pages all over them; ordered ids fill the
-- right edge instead.
CREATE OR REPLACE FUNCTION uuid_v7() RETURNS text LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT substr(ts, 1, 8) || '-' || substr(ts, 9, 4) || '-7' || substr(gen_random_uuid()::text, 16)
  FROM (SELECT lpad(to_hex(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') AS ts) t
$$;
