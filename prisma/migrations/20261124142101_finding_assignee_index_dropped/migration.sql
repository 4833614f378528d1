-- Every query of assignments reads the open queue's expression index (COALESCE("assigneeId", ''), "dueAt", id), and
-- users are never deleted, so this index only cost each new or rewritten finding an entry.
-- DropIndex
DROP INDEX "Finding_assigneeId_status_idx";
