export { fixtureJson, fixtureText, FIXTURES_DIR } from "@/lib/ingest/testing/fixtures";
