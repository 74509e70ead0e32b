"""Documents -> validated extraction records (knows nothing of the database)."""
