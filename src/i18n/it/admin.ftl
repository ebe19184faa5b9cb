# Le pagine dell'amministratore: utenti, impostazioni, conservazione, backup, registro di audit, cancellazione.

users-title = Utenti
users-create = Crea un utente
users-caption = Tutti gli account
users-username = Nome utente
users-role = Ruolo
users-status = Stato
users-two-step = Accesso in due passaggi
users-sessions = Sessioni aperte
users-created = Creazione
users-actions = Azioni
users-disabled = Disattivato
users-locked = Bloccato
users-active = Attivo
users-two-step-on = Attivo dal { $date }
users-two-step-off = Non attivo
users-enable = Riattiva
users-disable = Disattiva
users-reset-two-step = Azzera l'accesso in due passaggi
users-reset-two-step-of = di { $name }
users-reset-password = Reimposta la password
users-for = di { $name }
users-notice-created = L'account è stato creato.
users-notice-disabled = L'account è stato disattivato e le sue sessioni sono state chiuse.
users-notice-enabled = L'account è stato riattivato.
users-notice-reset = La password è stata reimpostata e le sessioni dell'account sono state chiuse.
users-notice-two-step-reset = L'accesso in due passaggi è stato azzerato e le sessioni dell'account sono state chiuse. Al prossimo accesso la persona configura di nuovo un'app, se le impostazioni lo richiedono.
users-own-account = Non puoi disattivare il tuo account.
users-own-two-step = Per azzerare la tua app, configurane una nuova dalla pagina del tuo account, oppure chiedi a un altro amministratore.
users-error-role = Scegli un ruolo
users-initial-password = Password iniziale
users-initial-password-hint = Da 12 a 128 caratteri. Comunicala alla persona in modo sicuro; potrà cambiarla dalla pagina Account.
users-initial-password-again = Ripeti la password iniziale
users-password-title = Reimposta la password di { $name }
users-password-intro = Tutte le sessioni di questo account vengono chiuse subito.
users-new-password-hint = Da 12 a 128 caratteri.

settings-title = Impostazioni
settings-saved = Le impostazioni sono state salvate.
settings-organisation = Nome dell'organizzazione nei riepiloghi PDF (facoltativo)
settings-organisation-hint = Stampato sotto il titolo «Riepilogo del caso». Lascialo vuoto per un documento neutro.
settings-paper = Formato della carta predefinito per i riepiloghi
settings-counted = Quali valutazioni contano nei risultati aggregati
settings-counted-reviewed = Solo le valutazioni revisionate (consigliato)
settings-counted-submitted = Tutte le valutazioni inviate
settings-k = Dimensione minima dei gruppi per i dati aggregati
settings-k-hint = Da 3 a 20. Un dato basato su meno casi viene nascosto. Il valore predefinito è 5; abbassalo solo con cautela.
settings-language = Lingua delle pagine
settings-language-hint = Per chi non ne ha scelta una nella pagina del proprio account e, prima dell'accesso, per i browser che non chiedono nessuna di queste lingue.
settings-sign-in = Accesso e audit
settings-two-step = Chi deve accedere con un codice di un'app di autenticazione
settings-two-step-hint = Un account interessato che non ha ancora configurato un'app viene portato a configurarne una subito dopo la password, e non può fare nient'altro finché non l'ha configurata. Chiunque può configurarne una nella pagina del proprio account.
settings-full-addresses = Conserva gli indirizzi IP completi nel registro di audit
settings-full-addresses-hint = Disattivato per impostazione predefinita: il registro conserva solo la rete (le prime tre parti di un indirizzo IPv4, i primi tre gruppi di un indirizzo IPv6), perché il luogo da cui si collega chi lavora sul campo o una sopravvissuta può rivelare dove si trova. Attivalo solo mentre indaghi su un'intrusione.
settings-retention = Conservazione
settings-retention-intro = Non viene eliminato nulla se non lo imposti qui. Un'esecuzione giornaliera applica queste regole e annota i conteggi nel registro di audit; i casi cancellati finiscono anche nel registro delle cancellazioni, accanto ai backup. Le sessioni di accesso scadute vengono sempre eliminate.
settings-erase-closed = Cancella i casi chiusi dopo questo numero di mesi dalla chiusura (facoltativo)
settings-erase-closed-hint = Da 6 a 120 mesi. Lascia vuoto per conservare i casi chiusi.
settings-draft-days = Elimina le bozze che nessuno salva da questo numero di giorni (facoltativo)
settings-draft-days-hint = Da 7 a 730 giorni. Lascia vuoto per conservare le bozze.
settings-audit-months = Elimina le voci del registro di audit più vecchie di questo numero di mesi (facoltativo)
settings-audit-months-hint = Da 12 a 120 mesi. Lascia vuoto per conservare tutto il registro. Le voci più vecchie vengono eliminate per prime, e la catena resta verificabile a partire dall'ultima eliminata.
settings-save = Salva le impostazioni
settings-next-run = Prossima esecuzione della conservazione
settings-ran = Conservazione applicata: { $cases ->
    [one] { $cases } caso chiuso cancellato
   *[other] { $cases } casi chiusi cancellati
}, { $drafts ->
    [one] { $drafts } bozza inutilizzata eliminata
   *[other] { $drafts } bozze inutilizzate eliminate
}, { $sessions ->
    [one] { $sessions } sessione scaduta rimossa
   *[other] { $sessions } sessioni scadute rimosse
}, { $audit ->
    [one] { $audit } voce vecchia del registro di audit rimossa
   *[other] { $audit } voci vecchie del registro di audit rimosse
}.
settings-preview = Con le impostazioni salvate, un'esecuzione adesso cancellerebbe { $cases ->
    [one] { $cases } caso chiuso
   *[other] { $cases } casi chiusi
} ed eliminerebbe { $drafts ->
    [one] { $drafts } bozza
   *[other] { $drafts } bozze
}.
settings-preview-audit = Verrebbero eliminate le voci di audit anteriori al { $date }.
settings-preview-cases = Casi che cancellerebbe:
settings-apply = Applica ora la conservazione
settings-error-organisation = Nome dell'organizzazione: { $problem }
settings-error-paper = Scegli un formato della carta
settings-error-counted = Scegli quali valutazioni contano nei dati aggregati
settings-error-k = Dimensione minima dei gruppi: inserisci un numero intero da { $min } a { $max }
settings-error-erase = Cancella i casi chiusi dopo: lascia vuoto, oppure inserisci un numero di mesi da { $min } a { $max }
settings-error-drafts = Elimina le bozze non modificate dopo: lascia vuoto, oppure inserisci un numero di giorni da { $min } a { $max }
settings-error-audit = Elimina le voci di audit dopo: lascia vuoto, oppure inserisci un numero di mesi da { $min } a { $max }
settings-error-language = Scegli la lingua dell'organizzazione
settings-error-two-step = Scegli chi deve usare l'accesso in due passaggi
paper-a4 = A4
paper-letter = Letter (USA)
choice-TwoStepPolicy-admins = Amministratrici/amministratori
choice-TwoStepPolicy-supervisors = Supervisore/supervisori e amministratrici/amministratori
choice-TwoStepPolicy-everyone = Tutti

erase-title = Cancella un caso
erase-done = { $count ->
    [one] Il caso { $code } è stato cancellato insieme a { $count } valutazione e ai relativi piani d'azione.
   *[other] Il caso { $code } è stato cancellato insieme alle sue { $count } valutazioni e ai relativi piani d'azione.
} La sua chiave è stata distrutta: nessuna copia dei suoi dati in questa cartella dei dati potrà più essere letta.
erase-intro = La cancellazione elimina il caso, ogni sua valutazione e ogni suo piano d'azione, e il suo contributo ai risultati aggregati, e distrugge la chiave con cui erano cifrati i suoi dati. Non si può annullare. Il registro di audit conserva una sola voce: chi ha cancellato il caso, quando e la categoria del motivo.
erase-backups = I backup eseguiti prima della cancellazione contengono ancora il caso finché, diventati troppo vecchi, non vengono rimossi dalla cartella dei backup. Il ripristino di uno di questi backup lo cancella di nuovo, in base al registro delle cancellazioni conservato accanto ai backup.
erase-code = Codice del caso
erase-code-hint = Come K7QM-3XDA-5.
erase-confirm = Digita di nuovo il codice del caso per confermare
erase-reason = Motivo della cancellazione
erase-choose-reason = Scegli un motivo
erase-button = Cancella questo caso
erase-error-code = Codice del caso: { $problem }
erase-error-confirm = Digita di nuovo lo stesso codice del caso per confermare
erase-error-reason = Scegli il motivo della cancellazione
erase-error-unknown = Nessun caso ha questo codice (potrebbe essere già stato cancellato)
choice-ErasureReason-persons-request = Su richiesta della persona
choice-ErasureReason-consent-withdrawn = Consenso revocato
choice-ErasureReason-created-in-error = Creato per errore o duplicato
choice-ErasureReason-legal-obligation = Obbligo di legge o provvedimento dell'autorità giudiziaria
choice-ErasureReason-retention = Periodo di conservazione scaduto (automatico)

backups-title = Backup
backups-where = Dove
backups-on-server = sul server
backups-how-often = Frequenza
backups-every = ogni { $every }, e su richiesta
backups-kept = Conservati
backups-newest = gli ultimi { $keep }
backups-key-passphrase = una passphrase
backups-key-recipient = una chiave pubblica age
duration-days = { $count ->
    [one] { $count } giorno
   *[other] { $count } giorni
}
duration-hours = { $count ->
    [one] { $count } ora
   *[other] { $count } ore
}
duration-minutes = { $count ->
    [one] { $count } minuto
   *[other] { $count } minuti
}
backups-key = Cifrati con
backups-key-apart = (conserva questa chiave separata dal server e dai backup)
backups-last = Ultimo backup
backups-made-at = Eseguito il { $at }: { $file },
backups-made-size = { $size }, { $records } record,
backups-made-took = in { $took } ms (le scritture hanno atteso { $waited } ms).
backups-failed = L'ultimo backup non è riuscito
backups-none = Non è stato tentato nessun backup dall'avvio del server.
backups-now = Esegui un backup ora
backups-files = Backup conservati
backups-files-none = Ancora nessuno.
backups-caption = File di backup, dal più recente
backups-file = File
backups-size = Dimensione
backups-download = Scarica
backups-how-to = Un backup scaricato è cifrato: si apre solo con la passphrase o con il file di identità. Per verificarne uno, e per ripristinarlo in una nuova cartella dei dati, usa:
backups-not-set-up = I backup non sono configurati su questo server (vedi il README, «Backups and recovery»). Avvialo con una cartella dei backup e un file con la passphrase oppure un destinatario age:
backups-stopped = Nel frattempo, fai il backup della cartella dei dati di un server fermo con
backups-notice-made = Il backup è stato eseguito.
backups-notice-failed = Il backup non è riuscito: vedi sotto.
backups-notice-busy = Un backup è già in corso; ricarica la pagina tra poco.

audit-title = Registro di audit
audit-research = Scarica l'esportazione per la ricerca
audit-research-note = (una riga per valutazione e fattore; nessun testo libero, solo mesi, chiavi dei casi generate di nuovo a ogni esportazione; i download vengono registrati qui).
audit-research-wide = Scaricala nel formato largo
audit-research-wide-note = (una riga per valutazione, una colonna per fattore, come la leggono R o Stata).
audit-intro = Dal più recente. Il registro annota chi ha fatto cosa e su quale dato; mai password, note o dettagli dei casi. Ogni voce riporta l'hash SHA-256 della voce precedente e di sé stessa, così una voce modificata, eliminata o inserita in seguito spezza la catena. Azioni e dettagli sono mostrati così come sono stati registrati.
audit-broken = Il registro di audit non è integro alla voce { $seq }: { $why }.
audit-checked-before = { $checked ->
    [one] { $checked } voce precedente risulta integra.
   *[other] { $checked } voci precedenti risultano integre.
}
audit-intact = { $checked ->
    [one] Il registro di audit è integro: { $checked } voce verificata. L'hash della voce più recente è
   *[other] Il registro di audit è integro: { $checked } voci verificate. L'hash della voce più recente è
}
audit-compare = (confrontalo con una copia esportata).
audit-verify = Verifica il registro di audit
audit-export = Esporta il registro di audit (JSON Lines, con gli hash)
audit-caption = Eventi di audit
audit-time = Ora (UTC)
audit-user = Utente
audit-action = Azione
audit-target = Oggetto
audit-detail = Dettaglio
audit-from = Provenienza
audit-outcome = Esito
audit-older = Voci meno recenti
