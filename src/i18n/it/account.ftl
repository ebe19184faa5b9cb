# Accesso, secondo passaggio e pagina dell'account.

sign-in-title = Accedi
sign-in-failed-title = Accesso non riuscito
sign-in-failed = Il nome utente o la password non sono corretti, oppure l'account è bloccato o disattivato. Dopo 6 tentativi falliti un account viene bloccato per 30 minuti.
sign-in-throttled = Troppi accessi falliti da questa rete. Attendi 15 minuti e riprova.
field-username = Nome utente
field-password = Password
sign-in-button = Accedi

code-title = Accesso: codice
code-heading = Inserisci il codice della tua app
code-refused-title = Il codice non è stato accettato
code-intro = La password è corretta. Apri l'app di autenticazione che hai configurato per questo account e inserisci le sei cifre che mostra per exit-factors.
code-field = Codice
code-hint = Sei cifre. Hai perso il telefono? Inserisci invece uno dei tuoi codici di recupero (xxxx-xxxx-xxxx-xxxx); ognuno funziona una sola volta.
code-wrong = Il codice non è corretto. Inserisci le sei cifre che l'app di autenticazione mostra adesso, oppure uno dei codici di recupero. Dopo 6 tentativi falliti l'account viene bloccato per 30 minuti.
code-replayed = Questo codice è già stato usato. Attendi che l'app mostri un nuovo codice (ogni 30 secondi) e inserisci quello.
code-start-again = Ricomincia con un altro account

account-title = Il tuo account
account-changed-others = La password è stata cambiata. Le altre sessioni sono state chiuse.
account-changed = La password è stata cambiata. Le altre sessioni restano aperte.
sessions-ended = { $count ->
    [one] È stata chiusa { $count } altra sessione.
   *[other] Sono state chiuse { $count } altre sessioni.
}
account-language-saved = La lingua è stata salvata.
account-username = Nome utente
account-role = Ruolo
account-two-step = Accesso in due passaggi
account-two-step-on = Attivo dal { $date }: all'accesso viene chiesto il codice dell'app di autenticazione. { $left ->
    [one] { $left } codice di recupero non usato.
   *[other] { $left } codici di recupero non usati.
}
account-two-step-off = Non attivo: basta la password per aprire il tuo account.
account-two-step-required = La tua organizzazione lo richiede per il tuo ruolo.
account-two-step-manage = Gestisci l'accesso in due passaggi
account-two-step-set-up = Configura l'accesso in due passaggi
account-language = Lingua
account-language-legend = Lingua delle pagine
account-language-hint = Le pagine, i messaggi e i tuoi riepiloghi PDF. La copia per la persona assistita si può comunque stampare nella sua lingua.
account-language-default = Quella predefinita dell'organizzazione ({ $language })
account-language-save = Salva la lingua
account-sessions = Dove hai effettuato l'accesso
account-sessions-caption = Le tue sessioni attive
account-sessions-browser = Browser
account-sessions-started = Accesso
account-sessions-last = Ultima attività
account-sessions-this = (questa)
account-sessions-unknown = Browser sconosciuto
account-sessions-question = Non ne riconosci una, o ne hai lasciata una aperta su un computer condiviso?
account-sessions-end = Chiudi tutte le altre sessioni
account-password = Cambia la password
field-current-password = Password attuale
field-new-password = Nuova password
field-new-password-hint = Da 12 a 128 caratteri, difficile da indovinare, senza il tuo nome utente. Alcune parole senza legame tra loro fanno una buona password.
field-confirm-password = Ripeti la nuova password
account-end-others = Chiudi anche le mie altre sessioni
account-password-button = Cambia la password
error-current-password = La password attuale non è corretta
error-passwords-differ = Le due password non coincidono
error-password-short = Password: usa almeno 12 caratteri
error-password-long = Password: usa al massimo 128 caratteri
error-password-username = Password: non inserire il tuo nome utente nella password
error-password-guessable = Password: questa password è troppo facile da indovinare. Aggiungi una o due parole che non c'entrano nulla tra loro, oppure usa una frase più lunga.

two-step-title = Accesso in due passaggi
two-step-required = La tua organizzazione chiede agli account come il tuo di accedere con un codice di un'app di autenticazione oltre alla password. Configurala ora per continuare: ci vuole un minuto.
two-step-intro = Con l'accesso in due passaggi, una password rubata o indovinata non basta ad aprire i casi: per accedere serve anche il codice a sei cifre che mostra un'app sul telefono (per esempio FreeOTP, Aegis, Google Authenticator o Microsoft Authenticator). L'app funziona senza connessione; non viene inviato nulla a nessuno.
two-step-status-on = L'accesso in due passaggi è attivo per il tuo account dal { $date }. { $left ->
    [one] { $left } dei tuoi codici di recupero non è stato usato.
   *[other] { $left } dei tuoi codici di recupero non sono stati usati.
}
two-step-status-off = L'accesso in due passaggi non è attivo per il tuo account.
two-step-add = 1. Aggiungi l'account all'app
two-step-scan = Nell'app scegli di aggiungere un account e inquadra questo codice:
two-step-qr-label = Codice QR per aggiungere questo account a un'app di autenticazione
two-step-type-key = Se non riesci a inquadrarlo, scegli di inserire una chiave e digita questa (basata sul tempo, 6 cifre):
two-step-confirm-heading = 2. Inserisci il codice che mostra l'app
two-step-code-field = Codice dell'app
two-step-code-hint = Sei cifre. Ne compare uno nuovo ogni 30 secondi.
two-step-turn-on = Attiva l'accesso in due passaggi
two-step-code-wrong = Il codice non corrisponde. Inserisci le sei cifre che l'app mostra adesso per exit-factors; se non funziona ancora, controlla che l'ora del telefono sia impostata automaticamente.
two-step-new-app-hint = Hai cambiato telefono o stai finendo i codici di recupero? Configura di nuovo l'app: ricevi dieci nuovi codici di recupero, e l'app e i codici precedenti smettono di funzionare quando la nuova app è confermata.
two-step-new-app = Configura una nuova app
two-step-set-up = Configura un'app di autenticazione
two-step-back = Torna al tuo account
recovery-title = I tuoi codici di recupero
recovery-heading = L'accesso in due passaggi è attivo
recovery-notice = D'ora in poi, all'accesso viene chiesto il codice dell'app dopo la password.
recovery-intro = Se perdi il telefono, ciascuno di questi codici ti fa accedere una volta al posto del codice dell'app. Vengono mostrati solo ora. Stampali o scrivili e conservali in un posto sicuro, lontano dal telefono. Non tenerli sul computer condiviso dell'ufficio.
recovery-run-out = Se li finisci o perdi anche questi, configura di nuovo l'app dalla pagina dell'account, oppure chiedi a un amministratore di azzerare il tuo accesso in due passaggi.
recovery-continue = Continua

setup-title = Prima configurazione
setup-heading = Crea il primo amministratore
setup-intro = Questo link funziona una sola volta, finché questo server è in funzione. L'account che crei qui gestisce tutti gli altri account.
setup-username-hint = Da 3 a 32 caratteri: lettere a-z, cifre, '.', '_' o '-'. Non il tuo nome completo.
setup-password-hint = Da 12 a 128 caratteri, difficile da indovinare, senza il tuo nome utente.
setup-password-again = Ripeti la password
setup-button = Crea l'amministratore
error-username-length = Nome utente: un nome utente ha da 3 a 32 caratteri
error-username-characters = Nome utente: un nome utente inizia con una lettera e usa solo lettere a-z, cifre, '.', '_' o '-'
error-username-taken = Questo nome utente è già in uso
