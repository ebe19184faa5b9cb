# La cola de revisión, la guía de la lista, las referencias bibliográficas y el panel.

review-title = Por revisar
review-intro = Valoraciones enviadas que nadie ha revisado todavía, empezando por la más antigua. Abre una para marcarla como revisada o devolverla a la persona profesional con un comentario.
review-empty = No hay nada que revisar.
review-count = { $count ->
    [one] { $count } valoración por revisar
   *[other] { $count } valoraciones por revisar
}
review-shown = : se muestran de la { $first } a la { $last }
review-date = Fecha de la valoración
review-operator = Profesional
review-pages = Páginas de la cola
review-notice-reviewed = La valoración se marcó como revisada.
review-notice-returned = La valoración se devolvió a la persona profesional.

guide-title = Guía de la lista
guide-lead = { $title }, versión { $version }. Cada factor lleva una marca que indica qué hacer con él:
guide-context = marca un factor que describe su situación y no entra en ninguna puntuación. Los estudios en que se basa cada factor están en la página de
guide-references-link = referencias
guide-references-end = bibliográficas.
guide-scale = Escala de calificación
guide-not-assessed = El factor no se ha tratado o todavía no se puede valorar.
guide-stages = Etapas de cambio
guide-source = Fuente: { $source }

refs-title = Referencias bibliográficas
refs-lead = La lista (versión { $version }) se basa en una única revisión:
refs-intro = { $count ->
    [one] La revisión reúne { $count } estudio.
   *[other] La revisión reúne { $count } estudios.
} Cada factor de la lista cita los estudios a partir de los cuales la revisión lo recoge; abajo, cada estudio indica los factores que lo citan.
refs-how-read = Cómo se leyó la revisión
refs-studies = { $count ->
    [one] { $count } estudio
   *[other] Los { $count } estudios
}
refs-cited-as = Citado en la lista como
refs-country = País
refs-population = Población estudiada
refs-minors = Incluye a menores o adolescentes.
refs-also = También aparece en la revisión como
refs-citing = Factores que lo citan
refs-none = Ninguno.

dash-lead = Resultados agregados de todos los casos. Cada caso cuenta una sola vez: con su última valoración contabilizada en el periodo (y con la primera, para el cambio a lo largo del tiempo). Los casos sin consentimiento para los informes anónimos quedan fuera.
dash-context-note = Los factores marcados como «Contexto» describen la situación de las mujeres y no entran en ninguna puntuación.
dash-filters = Filtros
dash-from = Desde el mes
dash-to = Hasta el mes
dash-all = Todos
dash-stage-latest = Etapa de cambio (la última)
dash-show = Mostrar cifras
dash-clear = Borrar filtros
dash-csv = Descargar CSV
dash-pdf = Descargar informe en PDF
dash-counting = Se cuentan { $what }.
dash-counted-reviewed = solo las valoraciones revisadas
dash-counted-all = todas las valoraciones enviadas
dash-hiding-rule = Las cifras basadas en menos de { $k } casos se muestran como «{ $hidden }», y también se oculta una segunda cifra cuando, si no, se podría deducir la primera.
dash-fewer-than = menos de { $k }
dash-too-few = Menos de { $k } casos coinciden con estos filtros, así que no se muestra ninguna cifra.
dash-widen = Amplía los filtros.
dash-counting-rule = Cada caso cuenta una sola vez: con su última valoración contabilizada en el periodo (con la primera, para el cambio).
dash-error-month = Introduce un mes con el formato YYYY-MM, por ejemplo 2024-03
dash-error-operator = Elige a una de las personas profesionales de la lista
dash-scope = Alcance
dash-figure = Indicador
dash-value = Valor
dash-cases = Casos
dash-assessments = Valoraciones contabilizadas
dash-followed = Casos seguidos a lo largo de dos o más valoraciones
dash-improved = De ellos, mejoraron en conjunto (recursos al alza)
dash-worsened = De ellos, empeoraron en conjunto (recursos a la baja)
dash-reentries = Casos con un reingreso en el periodo
dash-without-consent = Casos excluidos: sin consentimiento para los informes anónimos
dash-stages = Etapa de cambio en la última valoración
dash-stages-table = Etapa de cambio: número de casos
dash-levels = Puntuaciones por nivel (0–100)
dash-levels-table = Puntuaciones medias por nivel y cambio medio de la primera a la última valoración
dash-bars-caption = Barra superior: recursos (cuanto más alta, mejor). Barra inferior: obstáculos (cuanto más baja, mejor).
dash-change = Cambio
dash-missing = Dónde falta apoyo
dash-missing-hint = Los factores por reforzar que con más frecuencia están ausentes o son débiles (valor 0–1).
dash-missing-none = No hay suficientes casos para ordenarlos.
dash-absent = Ausente o débil
dash-factors = Factores
dash-factors-table = Proporción de casos valorados en los que un factor por reforzar está presente (valor 2–3), un factor por limitar es fuerte (2–3) o un factor por valorar con cuidado está presente (1–3); para este último, cómo actúa.
dash-present = Presente
dash-by-stage = Presencia de los factores por etapa de cambio
dash-by-stage-table = Proporción de casos en cada etapa en los que el factor está presente (como arriba).
