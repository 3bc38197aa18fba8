/**
 * Run records and the rollback of a recorded run. {@link dev.moat.runs.RunRecorder} writes
 * {@code $MOAT_HOME/runs/RUN_ID.json} as a run goes (results, recaps, each host's journal entries);
 * {@link dev.moat.runs.RunSummary} reads one back for {@code moat runs}; {@link dev.moat.runs.RunRollback}
 * is {@code moat rollback}: it finds the run, takes each host's lock, checks the journal and what
 * changed since, restores through the {@link dev.moat.journal.Restorer} and marks in the record what
 * it settled. The {@code cli} commands are thin picocli wrappers over these.
 */
package dev.moat.runs;
