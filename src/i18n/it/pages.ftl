# La coda di revisione, la guida alla checklist, i riferimenti bibliografici e il cruscotto.

review-title = Da revisionare
review-intro = Valutazioni inviate che nessuno ha ancora revisionato, dalla meno recente. Aprine una per segnarla come revisionata o rimandarla all'operatrice/operatore con un commento.
review-empty = Niente da revisionare.
review-count = { $count ->
    [one] { $count } valutazione da revisionare
   *[other] { $count } valutazioni da revisionare
}
review-shown = : mostrate da { $first } a { $last }
review-date = Data della valutazione
review-operator = Operatrice/operatore
review-pages = Pagine della coda
review-notice-reviewed = La valutazione è stata segnata come revisionata.
review-notice-returned = La valutazione è stata rimandata all'operatrice/operatore.

guide-title = Guida alla checklist
guide-lead = { $title }, versione { $version }. Ogni fattore è contrassegnato con ciò che va fatto:
guide-context = indica un fattore che descrive la sua situazione e non entra in nessun punteggio. Gli studi alla base di ogni fattore sono nella pagina dei
guide-references-link = riferimenti
guide-references-end = bibliografici.
guide-scale = Scala di valutazione
guide-not-assessed = Il fattore non è stato discusso o non è ancora possibile valutarlo.
guide-stages = Fasi del cambiamento
guide-source = Fonte: { $source }

refs-title = Riferimenti bibliografici
refs-lead = La checklist (versione { $version }) si basa su un'unica revisione:
refs-intro = { $count ->
    [one] La revisione riunisce { $count } studio.
   *[other] La revisione riunisce { $count } studi.
} Ogni fattore della checklist cita gli studi in base ai quali la revisione lo riporta; qui sotto, per ogni studio sono elencati i fattori che lo citano.
refs-how-read = Come è stata letta la revisione
refs-studies = { $count ->
    [one] { $count } studio
   *[other] I { $count } studi
}
refs-cited-as = Citato nella checklist come
refs-country = Paese
refs-population = Popolazione studiata
refs-minors = Include minorenni o adolescenti.
refs-also = Nella revisione compare anche come
refs-citing = Fattori che lo citano
refs-none = Nessuno.

dash-lead = Risultati aggregati su tutti i casi. Ogni caso conta una sola volta: con la sua ultima valutazione conteggiata nel periodo (e con la prima, per il cambiamento nel tempo). I casi senza consenso ai resoconti anonimi sono esclusi.
dash-context-note = I fattori contrassegnati come «Contesto» descrivono la situazione delle donne e non entrano in nessun punteggio.
dash-filters = Filtri
dash-from = Dal mese
dash-to = Al mese
dash-all = Tutti
dash-stage-latest = Fase del cambiamento (ultima)
dash-show = Mostra i dati
dash-clear = Azzera i filtri
dash-csv = Scarica il CSV
dash-pdf = Scarica il resoconto PDF
dash-counting = Si contano { $what }.
dash-counted-reviewed = solo le valutazioni revisionate
dash-counted-all = tutte le valutazioni inviate
dash-hiding-rule = I dati basati su meno di { $k } casi sono mostrati come «{ $hidden }», e viene nascosto anche un secondo dato quando altrimenti se ne potrebbe ricavare il primo.
dash-fewer-than = meno di { $k }
dash-too-few = Meno di { $k } casi corrispondono a questi filtri, quindi non viene mostrato nessun dato.
dash-widen = Allarga i filtri.
dash-counting-rule = Ogni caso conta una sola volta: con la sua ultima valutazione conteggiata nel periodo (con la prima, per il cambiamento).
dash-error-month = Inserisci un mese nella forma YYYY-MM, per esempio 2024-03
dash-error-operator = Scegli un'operatrice o un operatore dall'elenco
dash-scope = Ambito
dash-figure = Indicatore
dash-value = Valore
dash-cases = Casi
dash-assessments = Valutazioni conteggiate
dash-followed = Casi seguiti in due o più valutazioni
dash-improved = Di questi, migliorati nel complesso (risorse in aumento)
dash-worsened = Di questi, peggiorati nel complesso (risorse in calo)
dash-reentries = Casi con un rientro nel periodo
dash-without-consent = Casi esclusi: nessun consenso ai resoconti anonimi
dash-stages = Fase del cambiamento all'ultima valutazione
dash-stages-table = Fase del cambiamento: numero di casi
dash-levels = Punteggi per livello (0–100)
dash-levels-table = Punteggi medi per livello e variazione media dalla prima all'ultima valutazione
dash-bars-caption = Barra superiore: risorse (più alto è meglio). Barra inferiore: ostacoli (più basso è meglio).
dash-change = Variazione
dash-missing = Dove manca il sostegno
dash-missing-hint = I fattori da rafforzare più spesso assenti o deboli (valore 0–1).
dash-missing-none = Non ci sono abbastanza casi per metterli in ordine.
dash-absent = Assente o debole
dash-factors = Fattori
dash-factors-table = Quota dei casi valutati in cui un fattore da rafforzare è presente (valore 2–3), un fattore da limitare è forte (2–3) o un fattore da valutare con attenzione è presente (1–3); per quest'ultimo, come agisce.
dash-present = Presente
dash-by-stage = Presenza dei fattori per fase del cambiamento
dash-by-stage-table = Quota dei casi in ciascuna fase in cui il fattore è presente (come sopra).
