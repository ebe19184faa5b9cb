# The review queue, the checklist guide, the references and the dashboard.

review-title = To review
review-intro = Submitted assessments nobody has reviewed yet, oldest first. Open one to mark it reviewed or return it to the operator with a comment.
review-empty = Nothing to review.
review-count = { $count ->
    [one] { $count } assessment to review
   *[other] { $count } assessments to review
}
review-shown = : { $first } to { $last } shown
review-date = Assessment date
review-operator = Operator
review-pages = Queue pages
review-notice-reviewed = The assessment was marked as reviewed.
review-notice-returned = The assessment was returned to the operator.

guide-title = Checklist guide
guide-lead = { $title }, version { $version }. Each factor is marked with what to do about it:
guide-context = marks a factor that describes her situation and is in no score. The studies behind each factor are on the
guide-references-link = references
guide-references-end = page.
guide-scale = Rating scale
guide-not-assessed = The factor was not discussed or cannot be judged yet.
guide-stages = Stages of change
guide-source = Source: { $source }

refs-title = References
refs-lead = The checklist (version { $version }) rests on one review:
refs-intro = { $count ->
    [one] The review brings together { $count } study.
   *[other] The review brings together { $count } studies.
} Each factor of the checklist cites the studies the review reports it from; below, each study lists the factors that cite it.
refs-how-read = How the review was read
refs-studies = { $count ->
    [one] The { $count } study
   *[other] The { $count } studies
}
refs-cited-as = Cited in the checklist as
refs-country = Country
refs-population = Who was studied
refs-minors = Includes minors or teenagers.
refs-also = Also written in the review as
refs-citing = Factors citing it
refs-none = None.

dash-lead = Aggregate results across cases. Each case counts once: its latest counted assessment in the period (and its first one, for change over time). Cases without consent to anonymous reports are left out.
dash-context-note = Factors marked "Context" describe women's situations and count in no score.
dash-filters = Filters
dash-from = From month
dash-to = To month
dash-all = All
dash-stage-latest = Stage of change (latest)
dash-show = Show figures
dash-clear = Clear filters
dash-csv = Download CSV
dash-pdf = Download PDF report
dash-counting = Counting { $what }.
dash-counted-reviewed = reviewed assessments only
dash-counted-all = every submitted assessment
dash-hiding-rule = Figures from fewer than { $k } cases are shown as “{ $hidden }”, and a second figure is hidden where the first could be worked out.
dash-fewer-than = fewer than { $k }
dash-too-few = Fewer than { $k } cases match these filters, so no figures are shown.
dash-widen = Widen the filters.
dash-counting-rule = Each case counts once: its latest counted assessment in the period (its first for change).
dash-error-month = Enter a month as YYYY-MM, for example 2024-03
dash-error-operator = Choose one of the operators
dash-scope = In scope
dash-figure = Figure
dash-value = Value
dash-cases = Cases
dash-assessments = Assessments counted
dash-followed = Cases followed over two or more assessments
dash-improved = Of those, improved overall (resources up)
dash-worsened = Of those, worsened overall (resources down)
dash-reentries = Cases with a re-entry in the period
dash-without-consent = Cases left out: no consent to anonymous reports
dash-stages = Stage of change at the latest assessment
dash-stages-table = Stage of change: number of cases
dash-levels = Scores by level (0–100)
dash-levels-table = Mean scores by level and mean change from first to latest assessment
dash-bars-caption = Upper bar: resources (higher is better). Lower bar: barriers (lower is better).
dash-change = Change
dash-missing = Where support is missing
dash-missing-hint = The factors to strengthen that are most often absent or weak (rated 0–1).
dash-missing-none = Not enough cases to rank them.
dash-absent = Absent or weak
dash-factors = Factors
dash-factors-table = Share of assessed cases where a factor to strengthen is present (rated 2–3), a factor to limit is strong (2–3), or a factor to assess with care is present (1–3); for the last, how it acts.
dash-present = Present
dash-by-stage = Factor presence by stage of change
dash-by-stage-table = Share of cases at each stage where the factor is present (as above).
