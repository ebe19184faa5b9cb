//! A small page builder over printpdf: a cursor that flows text down the page, wraps it with
//! `layout::Metrics`, starts new pages when the space runs out, repeats table headers on every
//! page a table spans, and draws the footer once the page count is known. It also keeps a list of
//! every text run it placed, so that tests can check that nothing leaves the margins.

use crate::i18n::{Lang, t_with};
use std::sync::OnceLock;

use printpdf::{
    Color, FontId, Line, LineDashPattern, LinePoint, Mm, Op, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rgb, TextItem,
};

use super::layout::Metrics;
pub use crate::domain::settings::Paper;

/// A new document titled `title`, dated `at` (creation, modification and metadata dates), made
/// by exit-factors.
pub fn new_document(title: &str, at: time::OffsetDateTime) -> PdfDocument {
    let mut doc = PdfDocument::new(title);
    let stamp = printpdf::OffsetDateTime::from_unix_timestamp(at.unix_timestamp())
        .unwrap_or_else(|_| printpdf::OffsetDateTime::now_utc());
    let info = &mut doc.metadata.info;
    info.creation_date = stamp;
    info.modification_date = stamp;
    info.metadata_date = stamp;
    info.creator = "exit-factors".to_owned();
    info.producer = "exit-factors".to_owned();
    doc
}

/// "Generated 2026-11-27 21:40 UTC", for footers.
pub fn generated_line(at: time::OffsetDateTime, lang: Lang) -> String {
    t_with(
        lang,
        "pdf-generated",
        &[("at", crate::i18n::format_date_time(lang, at).into())],
    )
}

/// The two weights used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// DejaVu Sans, parsed once per process.
pub struct Fonts {
    regular: ParsedFont,
    bold: ParsedFont,
    regular_metrics: Metrics,
    bold_metrics: Metrics,
}

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the bundled fonts could not be read")]
    Fonts,
}

impl Fonts {
    /// The fonts, parsed on first use.
    pub fn get() -> Result<&'static Fonts, PdfError> {
        static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
        FONTS
            .get_or_init(|| {
                let (regular, bold) = (dejavu::sans::regular(), dejavu::sans::bold());
                Some(Fonts {
                    regular: ParsedFont::from_bytes(regular, 0, &mut Vec::new())?,
                    bold: ParsedFont::from_bytes(bold, 0, &mut Vec::new())?,
                    regular_metrics: Metrics::from_font(regular).ok()?,
                    bold_metrics: Metrics::from_font(bold).ok()?,
                })
            })
            .as_ref()
            .ok_or(PdfError::Fonts)
    }

    /// The metrics of a weight.
    pub fn metrics(&self, weight: Weight) -> &Metrics {
        match weight {
            Weight::Regular => &self.regular_metrics,
            Weight::Bold => &self.bold_metrics,
        }
    }
}

/// One piece of text as placed: page (0-based), left edge and baseline from the page's top-left,
/// width, size.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub page: usize,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub size: f32,
    pub text: String,
}

/// Colours used, as RGB 0–1.
pub mod colour {
    pub const INK: (f32, f32, f32) = (0.11, 0.12, 0.14);
    pub const MUTED: (f32, f32, f32) = (0.35, 0.39, 0.44);
    pub const ACCENT: (f32, f32, f32) = (0.11, 0.31, 0.37);
    pub const RULE: (f32, f32, f32) = (0.79, 0.82, 0.85);
    pub const BAND: (f32, f32, f32) = (0.95, 0.96, 0.97);
    pub const STRENGTHEN: (f32, f32, f32) = (0.12, 0.42, 0.23);
    pub const LIMIT: (f32, f32, f32) = (0.60, 0.20, 0.07);
    pub const CARE: (f32, f32, f32) = (0.42, 0.31, 0.0);
}

fn colour((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

/// The smallest size a table heading is shrunk to so that its words fit whole.
const MIN_HEADER_SIZE: f32 = 5.5;

/// A table column: heading and width in points.
pub struct Column {
    pub title: String,
    pub width: f32,
}

/// A table cell: text and its style.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub weight: Weight,
    pub colour: (f32, f32, f32),
}

impl Cell {
    /// Plain text.
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            weight: Weight::Regular,
            colour: colour::INK,
        }
    }

    /// Bold text.
    pub fn bold(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            weight: Weight::Bold,
            colour: colour::INK,
        }
    }

    /// Coloured text.
    pub fn coloured(text: impl Into<String>, colour: (f32, f32, f32)) -> Self {
        Self {
            text: text.into(),
            weight: Weight::Regular,
            colour,
        }
    }
}

/// The page builder.
pub struct Canvas {
    fonts: &'static Fonts,
    regular_id: FontId,
    bold_id: FontId,
    width: f32,
    height: f32,
    /// Space kept free on every side; nothing is drawn in it.
    pub margin: f32,
    footer: f32,
    pages: Vec<Vec<Op>>,
    /// The page being drawn on.
    page: usize,
    runs: Vec<TextRun>,
    /// Distance of the cursor from the top of the page.
    y: f32,
    /// The language of the words the canvas writes itself (the page counter).
    lang: Lang,
}

const CELL_PAD: f32 = 3.0;

impl Canvas {
    /// A canvas for `doc` on `paper`, with the fonts registered in the document.
    pub fn new(doc: &mut PdfDocument, paper: Paper, lang: Lang) -> Result<Self, PdfError> {
        let fonts = Fonts::get()?;
        let (width, height) = paper.size();
        let margin = 48.0;
        Ok(Self {
            regular_id: doc.add_font(&fonts.regular),
            bold_id: doc.add_font(&fonts.bold),
            fonts,
            width,
            height,
            margin,
            footer: 28.0,
            pages: vec![Vec::new()],
            page: 0,
            runs: Vec::new(),
            y: margin,
            lang,
        })
    }

    /// Width available for content.
    pub fn content_width(&self) -> f32 {
        self.width - 2.0 * self.margin
    }

    /// The left edge of the content.
    pub fn left(&self) -> f32 {
        self.margin
    }

    /// The cursor's distance from the top.
    pub fn cursor(&self) -> f32 {
        self.y
    }

    fn bottom(&self) -> f32 {
        self.height - self.margin - self.footer
    }

    /// Text width at a size and weight.
    pub fn measure(&self, text: &str, weight: Weight, size: f32) -> f32 {
        self.fonts.metrics(weight).width(text, size)
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.page = self.pages.len() - 1;
        self.y = self.margin;
    }

    /// Makes sure `height` points fit below the cursor; starts a new page if not. Returns whether
    /// a page was started.
    pub fn ensure(&mut self, height: f32) -> bool {
        if self.y + height > self.bottom() && self.y > self.margin {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// Moves the cursor down.
    pub fn space(&mut self, points: f32) {
        self.y += points;
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        &mut self.pages[self.page]
    }

    /// Draws one line of text with its baseline `baseline` points from the top.
    pub fn text_at(
        &mut self,
        x: f32,
        baseline: f32,
        text: &str,
        weight: Weight,
        size: f32,
        rgb: (f32, f32, f32),
    ) {
        if text.is_empty() {
            return;
        }
        let font = match weight {
            Weight::Regular => self.regular_id.clone(),
            Weight::Bold => self.bold_id.clone(),
        };
        let pdf_y = self.height - baseline;
        let width = self.measure(text, weight, size);
        let page = self.page;
        self.runs.push(TextRun {
            page,
            x,
            y: baseline,
            width,
            size,
            text: text.to_owned(),
        });
        self.ops().extend([
            Op::StartTextSection,
            Op::SetFillColor { col: colour(rgb) },
            Op::SetFont {
                font: PdfFontHandle::External(font),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: Pt(x),
                    y: Pt(pdf_y),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(
                    text.chars()
                        .filter(|c| !super::layout::is_isolation_mark(*c))
                        .collect(),
                )],
            },
            Op::EndTextSection,
        ]);
    }

    /// Flows a wrapped paragraph at the cursor, across pages if needed.
    pub fn paragraph(&mut self, text: &str, weight: Weight, size: f32, rgb: (f32, f32, f32)) {
        let leading = size * 1.35;
        let width = self.content_width();
        for line in self.fonts.metrics(weight).wrap(text, size, width) {
            self.ensure(leading);
            self.y += leading;
            let x = self.left();
            self.text_at(x, self.y - leading * 0.25, &line, weight, size, rgb);
        }
    }

    /// A section heading, kept with at least `keep_with` points of what follows.
    pub fn heading(&mut self, text: &str, size: f32, keep_with: f32) {
        self.ensure(size * 2.0 + keep_with);
        self.space(size * 0.6);
        self.paragraph(text, Weight::Bold, size, colour::ACCENT);
        self.space(size * 0.3);
    }

    /// A straight line between two points given from the top-left.
    pub fn line(
        &mut self,
        from: (f32, f32),
        to: (f32, f32),
        thickness: f32,
        rgb: (f32, f32, f32),
        dashed: bool,
    ) {
        self.polyline(&[from, to], thickness, rgb, dashed);
    }

    /// A polyline through points given from the top-left.
    pub fn polyline(
        &mut self,
        points: &[(f32, f32)],
        thickness: f32,
        rgb: (f32, f32, f32),
        dashed: bool,
    ) {
        if points.len() < 2 {
            return;
        }
        let height = self.height;
        let line = Line {
            points: points
                .iter()
                .map(|&(x, y)| LinePoint {
                    p: Point {
                        x: Pt(x),
                        y: Pt(height - y),
                    },
                    bezier: false,
                })
                .collect(),
            is_closed: false,
        };
        let dash = if dashed {
            LineDashPattern::new(0.0, &[4.0, 3.0])
        } else {
            LineDashPattern::new(0.0, &[])
        };
        self.ops().extend([
            Op::SaveGraphicsState,
            Op::SetOutlineColor { col: colour(rgb) },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::SetLineDashPattern { dash },
            Op::DrawLine { line },
            Op::RestoreGraphicsState,
        ]);
    }

    /// A filled rectangle, top-left corner and size.
    pub fn fill_rect(&mut self, x: f32, top: f32, width: f32, height: f32, rgb: (f32, f32, f32)) {
        let page_height = self.height;
        self.ops().extend([
            Op::SaveGraphicsState,
            Op::SetFillColor { col: colour(rgb) },
            Op::DrawRectangle {
                rectangle: printpdf::Rect {
                    x: Pt(x),
                    y: Pt(page_height - top - height),
                    width: Pt(width),
                    height: Pt(height),
                    mode: Some(printpdf::PaintMode::Fill),
                    winding_order: None,
                },
            },
            Op::RestoreGraphicsState,
        ]);
    }

    fn row_height(&self, columns: &[Column], cells: &[Cell], size: f32) -> (f32, Vec<Vec<String>>) {
        let leading = size * 1.3;
        let wrapped: Vec<Vec<String>> = columns
            .iter()
            .zip(cells)
            .map(|(col, cell)| {
                self.fonts
                    .metrics(cell.weight)
                    .wrap(&cell.text, size, col.width - 2.0 * CELL_PAD)
            })
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        (lines as f32 * leading + 2.0 * CELL_PAD, wrapped)
    }

    fn draw_row(&mut self, columns: &[Column], cells: &[Cell], size: f32, header: bool) {
        let leading = size * 1.3;
        let (height, wrapped) = self.row_height(columns, cells, size);
        let top = self.y;
        if header {
            let width: f32 = columns.iter().map(|c| c.width).sum();
            let left = self.left();
            self.fill_rect(left, top, width, height, colour::BAND);
        }
        let mut x = self.left();
        for ((col, cell), lines) in columns.iter().zip(cells).zip(wrapped) {
            for (i, line) in lines.iter().enumerate() {
                let baseline = top + CELL_PAD + leading * (i as f32 + 1.0) - leading * 0.25;
                self.text_at(x + CELL_PAD, baseline, line, cell.weight, size, cell.colour);
            }
            x += col.width;
        }
        self.y = top + height;
        let (left, right) = (
            self.left(),
            self.left() + columns.iter().map(|c| c.width).sum::<f32>(),
        );
        let y = self.y;
        self.line(
            (left, y),
            (right, y),
            if header { 0.9 } else { 0.4 },
            colour::RULE,
            false,
        );
    }

    /// The size for a header row: `size`, or smaller so that every word of every heading fits its
    /// column whole ("Precontemplation" in a narrow column), but never below `MIN_HEADER_SIZE`;
    /// past that a word is split as any overlong word is.
    fn header_size(&self, columns: &[Column], size: f32) -> f32 {
        let metrics = self.fonts.metrics(Weight::Bold);
        columns
            .iter()
            .flat_map(|col| {
                let room = col.width - 2.0 * CELL_PAD;
                col.title.split_whitespace().map(move |word| {
                    let width = metrics.width(word, size);
                    if width > room {
                        size * room / width
                    } else {
                        size
                    }
                })
            })
            .fold(size, f32::min)
            .max(MIN_HEADER_SIZE.min(size))
    }

    /// A table whose header row is repeated at the top of every page it continues on.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<Cell>], size: f32) {
        self.table_under(None, columns, rows, size);
    }

    /// A heading and its table; on every page the table continues on, the heading is repeated
    /// with "(continued)" above the header row.
    pub fn titled_table(
        &mut self,
        title: &str,
        title_size: f32,
        columns: &[Column],
        rows: &[Vec<Cell>],
        size: f32,
    ) {
        self.table_under(Some((title, title_size)), columns, rows, size);
    }

    fn table_under(
        &mut self,
        title: Option<(&str, f32)>,
        columns: &[Column],
        rows: &[Vec<Cell>],
        size: f32,
    ) {
        let header: Vec<Cell> = columns
            .iter()
            .map(|c| Cell::bold(c.title.clone()))
            .collect();
        let header_size = self.header_size(columns, size);
        let (header_height, _) = self.row_height(columns, &header, header_size);
        let first_row = rows
            .first()
            .map_or(0.0, |r| self.row_height(columns, r, size).0);
        // The heading (if any) stays with the header row and the first row.
        match title {
            Some((title, title_size)) => self.heading(title, title_size, header_height + first_row),
            None => {
                self.ensure(header_height + first_row);
            }
        }
        self.draw_row(columns, &header, header_size, true);
        for row in rows {
            let (height, _) = self.row_height(columns, row, size);
            if self.ensure(height) {
                if let Some((title, title_size)) = title {
                    let text = format!("{title} (continued)");
                    self.paragraph(&text, Weight::Bold, title_size, colour::ACCENT);
                    self.space(title_size * 0.3);
                }
                self.draw_row(columns, &header, header_size, true);
            }
            self.draw_row(columns, row, size, false);
        }
    }

    /// The document title in large type, with the organisation's name under it when there is one.
    pub fn title(&mut self, title: &str, organisation: &str) {
        self.paragraph(title, Weight::Bold, 20.0, colour::ACCENT);
        if !organisation.trim().is_empty() {
            self.paragraph(organisation.trim(), Weight::Regular, 11.0, colour::MUTED);
        }
    }

    /// Draws the footer on every page, puts the pages into `doc` and saves it with the fonts
    /// subset; returns the PDF bytes and every text run placed.
    pub fn finish(
        self,
        doc: &mut PdfDocument,
        left: &str,
        middle: &str,
    ) -> (Vec<u8>, Vec<TextRun>) {
        let (pages, runs) = self.into_pages(left, middle);
        let options = PdfSaveOptions {
            subset_fonts: true,
            optimize: true,
            ..Default::default()
        };
        (doc.with_pages(pages).save(&options, &mut Vec::new()), runs)
    }

    fn into_pages(mut self, left: &str, middle: &str) -> (Vec<PdfPage>, Vec<TextRun>) {
        let total = self.pages.len();
        let baseline = self.height - self.margin - 4.0;
        for page in 0..total {
            self.page = page;
            let rule_y = baseline - 14.0;
            let (l, r) = (self.left(), self.width - self.margin);
            self.line((l, rule_y), (r, rule_y), 0.5, colour::RULE, false);
            self.text_at(l, baseline, left, Weight::Bold, 8.0, colour::MUTED);
            let mid_w = self.measure(middle, Weight::Regular, 8.0);
            self.text_at(
                (self.width - mid_w) / 2.0,
                baseline,
                middle,
                Weight::Regular,
                8.0,
                colour::MUTED,
            );
            let counter = t_with(
                self.lang,
                "pdf-page-of",
                &[("page", (page + 1).into()), ("total", total.into())],
            );
            let w = self.measure(&counter, Weight::Regular, 8.0);
            self.text_at(
                r - w,
                baseline,
                &counter,
                Weight::Regular,
                8.0,
                colour::MUTED,
            );
        }
        let (w, h) = (Mm::from(Pt(self.width)), Mm::from(Pt(self.height)));
        let pages = self
            .pages
            .into_iter()
            .map(|ops| PdfPage::new(w, h, ops))
            .collect();
        (pages, self.runs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_column_shrinks_its_heading_rather_than_splitting_a_word() {
        let words = ["Precontemplation", "Contemplation", "Maintenance"];
        for paper in [Paper::A4, Paper::Letter] {
            let mut doc = new_document("test", time::OffsetDateTime::UNIX_EPOCH);
            let mut c = Canvas::new(&mut doc, paper, Lang::En).unwrap();
            let w = c.content_width();
            let mut columns = vec![Column {
                title: "Factor".into(),
                width: w * 0.34,
            }];
            columns.extend(words.iter().map(|t| Column {
                title: (*t).into(),
                width: w * 0.13,
            }));
            let row: Vec<Cell> = std::iter::once("Family")
                .chain(["10%", "20%", "30%"])
                .map(|t| Cell::plain(t.to_owned()))
                .collect();
            c.table(&columns, &[row], 7.5);
            let (_, runs) = c.finish(&mut doc, "", "");
            for word in words {
                let run = runs
                    .iter()
                    .find(|r| r.text == word)
                    .unwrap_or_else(|| panic!("{word} is split: {runs:?}"));
                assert!(run.size < 7.5 && run.size >= MIN_HEADER_SIZE, "{run:?}");
                assert!(run.width <= w * 0.13 - 2.0 * CELL_PAD + 0.01, "{run:?}");
            }
            let body = runs.iter().find(|r| r.text == "Family").unwrap();
            assert_eq!(body.size, 7.5, "body rows keep their size");
        }
    }

    #[test]
    fn a_long_titled_table_repeats_its_heading_and_header_on_every_page_it_continues_on() {
        let mut doc = new_document("test", time::OffsetDateTime::UNIX_EPOCH);
        let mut c = Canvas::new(&mut doc, Paper::A4, Lang::En).unwrap();
        let w = c.content_width();
        let columns = [
            Column {
                title: "Factor".into(),
                width: w * 0.5,
            },
            Column {
                title: "Rating".into(),
                width: w * 0.5,
            },
        ];
        let rows: Vec<Vec<Cell>> = (0..120)
            .map(|i| vec![Cell::plain(format!("row {i}")), Cell::plain("2".to_owned())])
            .collect();
        c.titled_table("Individual level", 11.5, &columns, &rows, 8.0);
        let (_, runs) = c.finish(&mut doc, "", "");
        let pages = runs.iter().map(|r| r.page).max().unwrap() + 1;
        assert!(pages >= 3, "the table spans pages: {pages}");
        for page in 0..pages {
            let on_page: Vec<&TextRun> = runs.iter().filter(|r| r.page == page).collect();
            let top = on_page.iter().min_by(|a, b| a.y.total_cmp(&b.y)).unwrap();
            let expected = if page == 0 {
                "Individual level"
            } else {
                "Individual level (continued)"
            };
            assert_eq!(top.text, expected, "page {page}");
            let header = on_page.iter().find(|r| r.text == "Factor").unwrap();
            let first_row = on_page
                .iter()
                .filter(|r| r.text.starts_with("row "))
                .min_by(|a, b| a.y.total_cmp(&b.y))
                .unwrap();
            assert!(top.y < header.y && header.y < first_row.y, "page {page}");
        }
        let rows_drawn = runs.iter().filter(|r| r.text.starts_with("row ")).count();
        assert_eq!(rows_drawn, 120, "every row once");
    }
}
