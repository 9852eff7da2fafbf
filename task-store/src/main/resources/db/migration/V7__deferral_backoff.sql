-- How often in a row a task was put off because its type's limit was full (or the limits could not
-- be checked): the wait before its next try doubles with each, so a task that cannot start does not
-- go round the pipeline every half second. A claim resets it.
ALTER TABLE tasks ADD COLUMN deferrals integer NOT NULL DEFAULT 0;
