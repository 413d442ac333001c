"""Prefect flows that drive casefiles' background work: the outbox dispatch and the daily
deadline sweep. They call the service layer and nothing else."""
