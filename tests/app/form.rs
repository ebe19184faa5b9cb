//! Forms as a browser submits them, read from the rendered page. Tests fill fields by the names the
//! page really has: setting a name the form lacks, or an answer a list does not offer, fails the
//! test. (A test that typed field names by hand once passed while the real form dropped the
//! action plan.)

use reqwest::{Client, Response};
use scraper::{ElementRef, Html, Selector};

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// text, hidden, month, date, number, password, search...
    Text,
    Radio,
    Checkbox,
    Select(Vec<String>),
    Textarea,
    /// A submit button with a name: sent only when it is the one pressed.
    Button,
}

#[derive(Debug, Clone)]
struct Control {
    name: String,
    kind: Kind,
    value: String,
    checked: bool,
    /// The `type` of an `<input>` ("text", "month", "date", "number", "hidden"...).
    input_type: String,
}

/// One `<form>` of a page, with the values it currently holds.
#[derive(Debug, Clone)]
pub struct Form {
    /// Where it posts (the page's own path when the form has no `action`).
    pub action: String,
    /// `get` or `post`.
    pub method: String,
    controls: Vec<Control>,
    /// The submit button chosen with `set` (name, value), pressed by `submit` if no other is.
    pressed: Option<(String, String)>,
}

impl Form {
    /// The first form matching `selector` (e.g. `"main form"`, `"form#factors"`) in `html`, served
    /// at `page_path`.
    pub fn from_html(html: &str, selector: &str, page_path: &str) -> Form {
        let doc = Html::parse_document(html);
        let sel = Selector::parse(selector).expect("form selector");
        let form = doc
            .select(&sel)
            .next()
            .unwrap_or_else(|| panic!("no form matches {selector:?} on {page_path}"));
        Form::from_element(form, page_path)
    }

    /// Every form of a page served at `page_path`, in page order.
    pub fn all_from_html(html: &str, page_path: &str) -> Vec<Form> {
        let doc = Html::parse_document(html);
        let forms = Selector::parse("form").expect("selector");
        doc.select(&forms)
            .map(|form| Form::from_element(form, page_path))
            .collect()
    }

    /// The form of `html` that posts to `action`.
    pub fn posting_to(html: &str, page_path: &str, action: &str) -> Form {
        let forms = Form::all_from_html(html, page_path);
        let actions: Vec<String> = forms.iter().map(|f| f.action.clone()).collect();
        forms
            .into_iter()
            .find(|f| f.method == "post" && f.action == action)
            .unwrap_or_else(|| panic!("{page_path} has no form posting to {action}: {actions:?}"))
    }

    fn from_element(form: ElementRef<'_>, page_path: &str) -> Form {
        let action = form
            .value()
            .attr("action")
            .filter(|a| !a.is_empty())
            .unwrap_or(page_path)
            .to_owned();
        let method = form
            .value()
            .attr("method")
            .unwrap_or("get")
            .to_ascii_lowercase();
        let fields = Selector::parse("input, select, textarea, button").expect("selector");
        let controls = form.select(&fields).filter_map(control).collect();
        Form {
            action,
            method,
            controls,
            pressed: None,
        }
    }

    /// Every field name the form has (once each, in page order).
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for c in &self.controls {
            if c.kind != Kind::Button && !names.contains(&c.name) {
                names.push(c.name.clone());
            }
        }
        names
    }

    /// Whether the form has a field called `name`.
    pub fn has(&self, name: &str) -> bool {
        self.controls.iter().any(|c| c.name == name)
    }

    /// The answers a radio group or a list offers.
    pub fn options(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        for c in self.controls.iter().filter(|c| c.name == name) {
            match &c.kind {
                Kind::Radio | Kind::Checkbox => out.push(c.value.clone()),
                Kind::Select(options) => out.extend(options.iter().cloned()),
                _ => {}
            }
        }
        out
    }

    /// For a typed field: its input type ("text", "month", "date", "number", "hidden"...) or
    /// "textarea"; `None` for a choice, a checkbox or a name the form lacks.
    pub fn text_type(&self, name: &str) -> Option<&str> {
        self.controls
            .iter()
            .find(|c| c.name == name)
            .and_then(|c| match c.kind {
                Kind::Text => Some(c.input_type.as_str()),
                Kind::Textarea => Some("textarea"),
                _ => None,
            })
    }

    /// Whether `name` is a checkbox.
    pub fn is_checkbox(&self, name: &str) -> bool {
        self.controls
            .iter()
            .any(|c| c.name == name && c.kind == Kind::Checkbox)
    }

    /// What the form would send for `name` now (the checked radio, the selected option, the text;
    /// `None` for an unchecked group or box).
    pub fn value(&self, name: &str) -> Option<String> {
        self.pairs(None)
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// Types `value` into a text field, chooses it in a list or radio group, or ticks the
    /// checkbox with that value. Panics if the form has no such field or answer.
    pub fn set(&mut self, name: &str, value: &str) -> &mut Self {
        let kinds: Vec<Kind> = self
            .controls
            .iter()
            .filter(|c| c.name == name)
            .map(|c| c.kind.clone())
            .collect();
        let Some(kind) = kinds.first() else {
            panic!(
                "the form posting to {} has no field {name:?}; it has {:?}",
                self.action,
                self.names()
            );
        };
        match kind {
            Kind::Radio | Kind::Checkbox => {
                let is_radio = *kind == Kind::Radio;
                assert!(
                    self.controls
                        .iter()
                        .any(|c| c.name == name && c.value == value),
                    "{name:?} offers no answer {value:?}: {:?}",
                    self.options(name)
                );
                for c in self.controls.iter_mut().filter(|c| c.name == name) {
                    if c.value == value {
                        c.checked = true;
                    } else if is_radio {
                        c.checked = false;
                    }
                }
            }
            Kind::Select(options) => {
                assert!(
                    options.iter().any(|o| o == value),
                    "{name:?} offers no answer {value:?}: {options:?}"
                );
                for c in self.controls.iter_mut().filter(|c| c.name == name) {
                    c.value = value.to_owned();
                }
            }
            Kind::Button => {
                assert!(
                    self.controls
                        .iter()
                        .any(|c| c.name == name && c.value == value),
                    "the form has no button {name}={value}"
                );
                self.pressed = Some((name.to_owned(), value.to_owned()));
            }
            Kind::Text | Kind::Textarea => {
                for c in self.controls.iter_mut().filter(|c| c.name == name) {
                    c.value = value.to_owned();
                }
            }
        }
        self
    }

    /// Unticks the checkbox `name`, as a person clearing it would.
    pub fn untick(&mut self, name: &str) -> &mut Self {
        assert!(self.is_checkbox(name), "the form has no checkbox {name:?}");
        for c in self.controls.iter_mut().filter(|c| c.name == name) {
            c.checked = false;
        }
        self
    }

    /// Puts `value` in field `name` whatever the page offers, as a tampered request would (the
    /// name must still be one of the form's).
    pub fn force(&mut self, name: &str, value: &str) -> &mut Self {
        assert!(self.has(name), "the form has no field {name:?}");
        for c in self.controls.iter_mut().filter(|c| c.name == name) {
            c.kind = Kind::Text;
            c.value = value.to_owned();
        }
        // One control per name is enough for a tampered value.
        let mut seen = false;
        self.controls.retain(|c| {
            let keep = c.name != name || !seen;
            seen |= c.name == name;
            keep
        });
        self
    }

    /// The name/value pairs a browser sends, with the pressed button (`name`, `value`) if any.
    pub fn pairs(&self, pressed: Option<(&str, &str)>) -> Vec<(String, String)> {
        let pressed = pressed.or(self.pressed.as_ref().map(|(n, v)| (n.as_str(), v.as_str())));
        let mut out = Vec::new();
        for c in &self.controls {
            match &c.kind {
                Kind::Text | Kind::Textarea | Kind::Select(_) => {
                    out.push((c.name.clone(), c.value.clone()))
                }
                Kind::Radio | Kind::Checkbox if c.checked => {
                    out.push((c.name.clone(), c.value.clone()))
                }
                Kind::Radio | Kind::Checkbox => {}
                Kind::Button => {
                    if pressed == Some((c.name.as_str(), c.value.as_str())) {
                        out.push((c.name.clone(), c.value.clone()));
                    }
                }
            }
        }
        if let Some((name, value)) = pressed {
            assert!(
                self.controls
                    .iter()
                    .any(|c| c.kind == Kind::Button && c.name == name && c.value == value),
                "the form has no button {name}={value}"
            );
        }
        out
    }

    /// The request a browser would send for this form to `base` (scheme, host and port), pressing
    /// the named button when given.
    pub fn request(
        &self,
        client: &Client,
        base: &str,
        pressed: Option<(&str, &str)>,
    ) -> reqwest::RequestBuilder {
        let url = format!("{base}{}", self.action);
        let pairs = self.pairs(pressed);
        if self.method == "post" {
            client.post(url).form(&pairs)
        } else {
            client.get(url).query(&pairs)
        }
    }

    /// Submits the form (see `request`).
    pub async fn submit(
        &self,
        client: &Client,
        base: &str,
        pressed: Option<(&str, &str)>,
    ) -> Response {
        self.request(client, base, pressed)
            .send()
            .await
            .expect("form submission")
    }
}

fn control(el: ElementRef<'_>) -> Option<Control> {
    let v = el.value();
    let name = v.attr("name")?.to_owned();
    if v.attr("disabled").is_some() {
        return None;
    }
    let input_type = v.attr("type").unwrap_or("text").to_owned();
    let (kind, value, checked) = match v.name() {
        "textarea" => (Kind::Textarea, el.text().collect::<String>(), false),
        "select" => {
            let option = Selector::parse("option").expect("selector");
            let options: Vec<(String, bool)> = el
                .select(&option)
                .map(|o| {
                    let value = o
                        .value()
                        .attr("value")
                        .map(str::to_owned)
                        .unwrap_or_else(|| o.text().collect());
                    (value, o.value().attr("selected").is_some())
                })
                .collect();
            let chosen = options
                .iter()
                .find(|(_, s)| *s)
                .or(options.first())
                .map(|(v, _)| v.clone())
                .unwrap_or_default();
            let values = options.into_iter().map(|(v, _)| v).collect();
            (Kind::Select(values), chosen, false)
        }
        "button" => {
            if v.attr("type").is_some_and(|t| t != "submit") {
                return None;
            }
            (
                Kind::Button,
                v.attr("value").unwrap_or("").to_owned(),
                false,
            )
        }
        _ => {
            let value = v.attr("value").unwrap_or("").to_owned();
            let checked = v.attr("checked").is_some();
            match v.attr("type").unwrap_or("text") {
                "radio" => (Kind::Radio, value, checked),
                "checkbox" => {
                    let value = if value.is_empty() { "on".into() } else { value };
                    (Kind::Checkbox, value, checked)
                }
                "submit" => (Kind::Button, value, false),
                "button" | "reset" | "file" | "image" => return None,
                _ => (Kind::Text, value, false),
            }
        }
    };
    Some(Control {
        name,
        kind,
        value,
        checked,
        input_type,
    })
}

/// Loads `page` and reads the form matching `selector` from it.
pub async fn load(client: &Client, base: &str, page: &str, selector: &str) -> Form {
    let res = client
        .get(format!("{base}{page}"))
        .send()
        .await
        .expect("GET form page");
    assert!(
        res.status().is_success(),
        "GET {page} for its form: {}",
        res.status()
    );
    let html = res.text().await.expect("page body");
    Form::from_html(&html, selector, page)
}
