# The administrator's pages: users, settings, retention, backups, audit log, erasure.

users-title = Users
users-create = Create user
users-caption = All accounts
users-username = Username
users-role = Role
users-status = Status
users-two-step = Two-step sign-in
users-sessions = Open sessions
users-created = Created
users-actions = Actions
users-disabled = Disabled
users-locked = Locked
users-active = Active
users-two-step-on = On since { $date }
users-two-step-off = Off
users-enable = Enable
users-disable = Disable
users-reset-two-step = Reset two-step
users-reset-two-step-of = sign-in of { $name }
users-reset-password = Reset password
users-for = for { $name }
users-notice-created = The account was created.
users-notice-disabled = The account was disabled and its sessions were ended.
users-notice-enabled = The account was enabled.
users-notice-reset = The password was reset and the account's sessions were ended.
users-notice-two-step-reset = Two-step sign-in was reset and the account's sessions were ended. The user sets up an app again at the next sign-in if the policy requires one.
users-own-account = You cannot disable your own account.
users-own-two-step = Reset your own app from your Account page (set up a new app), or ask another administrator.
users-error-role = Choose a role
users-initial-password = Initial password
users-initial-password-hint = 12 to 128 characters. Give it to the person in a safe way; they can change it under Account.
users-initial-password-again = Initial password again
users-password-title = Reset the password of { $name }
users-password-intro = All of this account's sessions end at once.
users-new-password-hint = 12 to 128 characters.

settings-title = Settings
settings-saved = The settings were saved.
settings-organisation = Organisation name on PDF summaries (optional)
settings-organisation-hint = Printed under the title "Case summary". Leave it empty for a neutral document.
settings-paper = Default paper size for summaries
settings-counted = Which assessments the aggregate results count
settings-counted-reviewed = Reviewed assessments only (recommended)
settings-counted-submitted = Every submitted assessment
settings-k = Minimum group size for aggregate figures
settings-k-hint = 3 to 20. A figure resting on fewer cases is hidden. 5 is the default; lower it only with care.
settings-language = Language of the pages
settings-language-hint = For everyone who has not chosen one on their Account page, and before sign-in for browsers that ask for none of these.
settings-sign-in = Sign-in and audit
settings-two-step = Who must sign in with a code from an authenticator app
settings-two-step-hint = An account this covers that has not set up an app is taken to set one up right after its password, and can do nothing else until it has. Anyone may set one up on their Account page.
settings-full-addresses = Keep whole client addresses in the audit log
settings-full-addresses-hint = Off by default: the log keeps only the network (the first three parts of an IPv4 address, the first three groups of an IPv6 one), because where a field worker or a survivor connects from can reveal where they are. Turn it on only while investigating a break-in.
settings-retention = Retention
settings-retention-intro = Nothing is removed unless you set it here. A daily run applies these rules and records its counts in the audit log; erased cases also go into the erasure register beside the backups. Expired sign-in sessions are always removed.
settings-erase-closed = Erase closed cases this many months after closing (optional)
settings-erase-closed-hint = 6 to 120 months. Leave empty to keep closed cases.
settings-draft-days = Delete drafts nobody has saved for this many days (optional)
settings-draft-days-hint = 7 to 730 days. Leave empty to keep drafts.
settings-audit-months = Remove audit log entries older than this many months (optional)
settings-audit-months-hint = 12 to 120 months. Leave empty to keep the whole log. The oldest go first, and the chain stays checkable from the last one removed.
settings-save = Save settings
settings-next-run = Next retention run
settings-ran = Retention applied: { $cases ->
    [one] { $cases } closed case erased
   *[other] { $cases } closed cases erased
}, { $drafts ->
    [one] { $drafts } untouched draft deleted
   *[other] { $drafts } untouched drafts deleted
}, { $sessions ->
    [one] { $sessions } expired session removed
   *[other] { $sessions } expired sessions removed
}, { $audit ->
    [one] { $audit } old audit entry removed
   *[other] { $audit } old audit entries removed
}.
settings-preview = Under the saved settings, a run now would erase { $cases ->
    [one] { $cases } closed case
   *[other] { $cases } closed cases
} and delete { $drafts ->
    [one] { $drafts } draft
   *[other] { $drafts } drafts
}.
settings-preview-audit = Audit entries from before { $date } would be removed.
settings-preview-cases = Cases it would erase:
settings-apply = Apply retention now
settings-error-organisation = Organisation name: { $problem }
settings-error-paper = Choose a paper size
settings-error-counted = Choose which assessments the aggregates count
settings-error-k = Minimum group size: enter a whole number from { $min } to { $max }
settings-error-erase = Erase closed cases after: leave empty, or enter a number of months from { $min } to { $max }
settings-error-drafts = Delete untouched drafts after: leave empty, or enter a number of days from { $min } to { $max }
settings-error-audit = Remove audit entries after: leave empty, or enter a number of months from { $min } to { $max }
settings-error-language = Choose the organisation's language
settings-error-two-step = Choose who must use two-step sign-in
paper-a4 = A4
paper-letter = US Letter
choice-TwoStepPolicy-admins = Administrators
choice-TwoStepPolicy-supervisors = Supervisors and administrators
choice-TwoStepPolicy-everyone = Everyone

erase-title = Erase a case
erase-done = { $count ->
    [one] Case { $code } was erased with its { $count } assessment and action plans.
   *[other] Case { $code } was erased with its { $count } assessments and action plans.
} Its key was destroyed: no copy of its records in this data directory can be read again.
erase-intro = Erasure removes the case, every assessment and action plan of it, and its share in the aggregate results, and destroys the key its records were encrypted with. It cannot be undone. The audit log keeps one entry: who erased a case, when, and the reason category.
erase-backups = Backups made before the erasure still hold the case until they age out of the backup directory. A restore of such a backup erases it again, from the erasure register kept beside the backups.
erase-code = Case code
erase-code-hint = Like K7QM-3XDA-5.
erase-confirm = Type the case code again to confirm
erase-reason = Reason for the erasure
erase-choose-reason = Choose a reason
erase-button = Erase this case
erase-error-code = Case code: { $problem }
erase-error-confirm = Type the same case code again to confirm
erase-error-reason = Choose the reason for the erasure
erase-error-unknown = No case has this code (it may have been erased already)
choice-ErasureReason-persons-request = At the person's request
choice-ErasureReason-consent-withdrawn = Consent withdrawn
choice-ErasureReason-created-in-error = Created in error or a duplicate
choice-ErasureReason-legal-obligation = A legal obligation or a court order
choice-ErasureReason-retention = Retention period over (automatic)

backups-title = Backups
backups-where = Where
backups-on-server = on the server
backups-how-often = How often
backups-every = every { $every }, and on demand
backups-kept = Kept
backups-newest = the newest { $keep }
backups-key-passphrase = a passphrase
backups-key-recipient = an age public key
duration-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
duration-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
duration-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
backups-key = Encrypted with
backups-key-apart = (keep it apart from the server and the backups)
backups-last = Last backup
backups-made-at = Made { $at }: { $file },
backups-made-size = { $size }, { $records } records,
backups-made-took = in { $took } ms (writes waited { $waited } ms).
backups-failed = The last backup failed
backups-none = No backup was attempted since the server started.
backups-now = Back up now
backups-files = Backups kept
backups-files-none = None yet.
backups-caption = Backup files, newest first
backups-file = File
backups-size = Size
backups-download = Download
backups-how-to = A downloaded backup is encrypted: it opens only with the passphrase or identity file. Check one, and restore one into a new data directory, with:
backups-not-set-up = Backups are not set up on this server (see the README, "Backups and recovery"). Start it with a backup directory and a passphrase file or an age recipient:
backups-stopped = Until then, back up a stopped server's data directory with
backups-notice-made = The backup was made.
backups-notice-failed = The backup failed: see below.
backups-notice-busy = A backup is being made already; reload in a moment.

audit-title = Audit log
audit-research = Download the research export
audit-research-note = (one row per assessment and factor; no free text, months only, case keys drawn afresh for every export; downloads are recorded here).
audit-research-wide = Download it in the wide format
audit-research-wide-note = (one row per assessment, a column per factor, as R or Stata load it).
audit-intro = Newest first. The log records who did what and to which record; never passwords, notes or case details. Each entry carries the SHA-256 of the entry before it and of itself, so that an entry changed, removed or inserted afterwards breaks the chain. Actions and details are shown as recorded.
audit-broken = The audit log is broken at entry { $seq }: { $why }.
audit-checked-before = { $checked ->
    [one] { $checked } entry before it checks.
   *[other] { $checked } entries before it check.
}
audit-intact = { $checked ->
    [one] The audit log is intact: { $checked } entry checked. The newest entry's hash is
   *[other] The audit log is intact: { $checked } entries checked. The newest entry's hash is
}
audit-compare = (compare it with an exported copy).
audit-verify = Verify the audit log
audit-export = Export the audit log (JSON Lines, with hashes)
audit-caption = Audit events
audit-time = Time (UTC)
audit-user = User
audit-action = Action
audit-target = Target
audit-detail = Detail
audit-from = From
audit-outcome = Outcome
audit-older = Older entries
