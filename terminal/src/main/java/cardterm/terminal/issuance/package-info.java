/**
 * On-site issuance: from the hub's {@code issue} command to a card in the citizen's hand, or a
 * rejected card and everyone told why.
 *
 * <h2>Workflow</h2>
 * {@link cardterm.terminal.issuance.IssuanceJobParser} checks a job whole (every problem in one
 * reply); {@link cardterm.terminal.issuance.IssuancePolicy} decides elderly (55+ on the issue date,
 * queued first) and the transit concession (bands from the config, default-on, per-job opt-out);
 * {@link cardterm.terminal.issuance.IssuanceService} queues jobs and runs one at a time, each as a
 * {@code JobRun}: {@code Rst} ready check, {@code Sic}, chip personalization and read-back verify
 * ({@link cardterm.terminal.issuance.ChipStation}, profile {@code ssse-basic}), face render and
 * print, {@code issuance.completed} stored, {@code Eo}.
 * A chip failure skips printing and sends {@code Er}; a printer error ends the job with {@code Er}
 * where the printer can still move the card. {@code cancel} removes a queued job, or stops the
 * running one at its next safe point (between steps) with its card rejected.
 *
 * <h2>Parts</h2>
 * The service (queue and worker) hands each job to a {@code JobRun}; {@code CrashRecovery} ends
 * what a crash left, from the journal as {@link cardterm.terminal.issuance.JournalReplay} reads it;
 * {@code JobRecorder} journals steps and ends jobs in the order below; {@code IssuanceEvents} builds
 * the {@code issuance.*} payloads and audit entries. Steps are one enum,
 * {@link cardterm.terminal.issuance.IssuanceStep}, with the journal's spelling ({@code card-feed})
 * and the events' ({@code card-fed}); a failed job is a {@link cardterm.terminal.issuance.Failure}
 * with a {@link cardterm.terminal.issuance.FailureCode}.
 *
 * <h2>Crash safety: decisions</h2>
 * <ul>
 *   <li>Every step's start and end, and every chip record the card acknowledged, is committed to
 *       the {@link cardterm.terminal.issuance.IssuanceJournal} (the terminal's SQLite file, shared
 *       with the outbox, {@code synchronous=FULL}) before the step counts and before the next
 *       device command goes out.</li>
 *   <li>On start, before any new job runs, the service ends what a crash left: the running job's
 *       card is rejected with {@code Er} (retried while the printer does not answer, at most 30 times
 *       2 s apart) and the job fails {@code INTERRUPTED} with the records the journal saw
 *       acknowledged; a record whose write was sent but not acknowledged is named "in doubt" in the
 *       message (the card is rejected anyway). {@code NO_CARD} to {@code Er} means no card is in the
 *       printer.</li>
 *   <li>No chip step is ever resumed or repeated after a restart, so no card is personalized twice.
 *       A job id is run once: a job id the journal knows (kept 30 days after the job ended) is
 *       refused as {@code DUPLICATE}, so an {@code issue} delivered again after a restart cannot make
 *       a second card.</li>
 *   <li>Jobs accepted and still queued at the crash run after the restart, in their place in the
 *       queue: each is stored with its personal data ({@code issuance_waiting}) in the transaction
 *       that accepts it, and that copy is deleted in the transaction that starts it (or ends it
 *       unstarted). A queued job whose copy is missing fails {@code INTERRUPTED} at step
 *       {@code queued}. The journal itself keeps only the masked ID number.</li>
 *   <li>A job that failed before any card was fed may be submitted again under the same id
 *       (nothing was made); any other job id the journal knows stays {@code DUPLICATE}.</li>
 *   <li>Around {@code Eo}: {@code issuance.completed} is stored first (hub contract), then "eject
 *       started" is journaled, then {@code Eo} is sent, then "eject ended". Killed before "eject
 *       started": the card is inside, it is rejected, and an {@code issuance.failed INTERRUPTED}
 *       (step {@code ejected}, card rejected) supersedes the completed event. Killed after "eject
 *       started": {@code Er} decides; {@code OK} means {@code Eo} never ran (failed, superseding),
 *       {@code NO_CARD} means {@code Eo} ran and the citizen has the card: the job stays completed.
 *       {@code Eo} is only sent after the chip's verify and the print ended in the journal, so no
 *       card is handed out unverified.</li>
 *   <li>A job's end (state, code, records) is journaled before its last event is stored and marked
 *       reported after; an end not marked reported is reported again on start (at least once).</li>
 * </ul>
 *
 * <h2>Answerability</h2>
 * Acceptance, cancellation and the end of every job, and every command carried out
 * ({@link cardterm.terminal.command.AuditedCommands}), go to the hash-chained
 * {@link cardterm.terminal.audit.AuditLog} under a staff id, and to the hub as {@code audit.entry}
 * events; {@code cardterm audit verify} checks the chain.
 */
package cardterm.terminal.issuance;
