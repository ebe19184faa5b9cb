# La file de relecture, le guide de la grille, les références bibliographiques et le tableau de bord.

review-title = À relire
review-intro = Évaluations envoyées que personne n'a encore relues, de la plus ancienne à la plus récente. Ouvrez-en une pour la marquer comme relue ou la renvoyer à l'intervenant·e avec un commentaire.
review-empty = Rien à relire.
review-count = { $count ->
    [one] { $count } évaluation à relire
   *[other] { $count } évaluations à relire
}
review-shown = , { $first } à { $last } affichées
review-date = Date de l'évaluation
review-operator = Intervenant·e
review-pages = Pages de la file
review-notice-reviewed = L'évaluation a été marquée comme relue.
review-notice-returned = L'évaluation a été renvoyée à l'intervenant·e.

guide-title = Guide de la grille
guide-lead = { $title }, version { $version }. Chaque facteur porte une marque qui indique quoi en faire :
guide-context = signale un facteur qui décrit sa situation et n'entre dans aucun score. Les études sur lesquelles repose chaque facteur figurent sur la page des
guide-references-link = références
guide-references-end = bibliographiques.
guide-scale = Échelle de cotation
guide-not-assessed = Le facteur n'a pas été abordé ou ne peut pas encore être évalué.
guide-stages = Stades du changement
guide-source = Source : { $source }

refs-title = Références bibliographiques
refs-lead = La grille (version { $version }) repose sur une seule revue :
refs-intro = { $count ->
    [one] La revue rassemble { $count } étude.
   *[other] La revue rassemble { $count } études.
} Chaque facteur de la grille cite les études d'après lesquelles la revue le rapporte ; ci-dessous, chaque étude indique les facteurs qui la citent.
refs-how-read = Comment la revue a été lue
refs-studies = { $count ->
    [one] { $count } étude
   *[other] Les { $count } études
}
refs-cited-as = Citée dans la grille sous la forme
refs-country = Pays
refs-population = Population étudiée
refs-minors = Inclut des personnes mineures ou adolescentes.
refs-also = Également écrite dans la revue sous la forme
refs-citing = Facteurs qui la citent
refs-none = Aucun.

dash-lead = Résultats agrégés sur l'ensemble des cas. Chaque cas compte une seule fois : par sa dernière évaluation comptée sur la période (et par sa première, pour l'évolution dans le temps). Les cas sans consentement aux rapports anonymes sont exclus.
dash-context-note = Les facteurs marqués « Contexte » décrivent la situation des femmes et n'entrent dans aucun score.
dash-filters = Filtres
dash-from = Depuis le mois
dash-to = Jusqu'au mois
dash-all = Tous
dash-stage-latest = Stade du changement (le plus récent)
dash-show = Afficher les chiffres
dash-clear = Effacer les filtres
dash-csv = Télécharger le CSV
dash-pdf = Télécharger le rapport PDF
dash-counting = Sont comptées { $what }.
dash-counted-reviewed = uniquement les évaluations relues
dash-counted-all = toutes les évaluations envoyées
dash-hiding-rule = Les chiffres portant sur moins de { $k } cas sont affichés sous la forme « { $hidden } », et un second chiffre est masqué lorsqu'il permettrait de retrouver le premier.
dash-fewer-than = moins de { $k }
dash-too-few = Moins de { $k } cas correspondent à ces filtres : aucun chiffre n'est donc affiché.
dash-widen = Élargissez les filtres.
dash-counting-rule = Chaque cas compte une seule fois : par sa dernière évaluation comptée sur la période (par sa première, pour l'évolution).
dash-error-month = Saisissez un mois au format YYYY-MM, par exemple 2024-03
dash-error-operator = Choisissez un·e intervenant·e dans la liste
dash-scope = Périmètre
dash-figure = Indicateur
dash-value = Valeur
dash-cases = Cas
dash-assessments = Évaluations comptées
dash-followed = Cas suivis sur deux évaluations ou plus
dash-improved = Parmi eux, amélioration globale (ressources en hausse)
dash-worsened = Parmi eux, dégradation globale (ressources en baisse)
dash-reentries = Cas avec un retour sur la période
dash-without-consent = Cas exclus : pas de consentement aux rapports anonymes
dash-stages = Stade du changement à la dernière évaluation
dash-stages-table = Stade du changement : nombre de cas
dash-levels = Scores par niveau (0–100)
dash-levels-table = Scores moyens par niveau et variation moyenne de la première à la dernière évaluation
dash-bars-caption = Barre du haut : ressources (plus c'est élevé, mieux c'est). Barre du bas : obstacles (plus c'est bas, mieux c'est).
dash-change = Variation
dash-missing = Là où le soutien manque
dash-missing-hint = Les facteurs à renforcer le plus souvent absents ou faibles (cotation 0–1).
dash-missing-none = Pas assez de cas pour les classer.
dash-absent = Absent ou faible
dash-factors = Facteurs
dash-factors-table = Part des cas évalués où un facteur à renforcer est présent (cotation 2–3), un facteur à limiter est fort (2–3) ou un facteur à évaluer avec prudence est présent (1–3) ; pour ce dernier, comment il agit.
dash-present = Présent
dash-by-stage = Présence des facteurs par stade du changement
dash-by-stage-table = Part des cas à chaque stade où le facteur est présent (comme ci-dessus).
