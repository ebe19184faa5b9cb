//! The shape of the code: the top-level modules form layers with no import circle. Lower layers
//! (the domain, the store, the PDFs) never reach up into the web layer, and nothing below the
//! routes reaches into them. Read from the source itself, so a new `use` that breaks it fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module -> the top-level modules its files name (`crate::x`, `crate::{x, y}`).
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let single = regex::Regex::new(r"crate::([a-z_][a-z0-9_]*)").unwrap();
    let grouped = regex::Regex::new(r"crate::\{([^}]*)\}").unwrap();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap();
            let first = relative.components().next().unwrap().as_os_str();
            let module = first.to_string_lossy().trim_end_matches(".rs").to_owned();
            if module == "lib" || module == "main" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests may reach anywhere: an inline test module, or a file of them.
            let test_file = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with("tests.rs"));
            let code = if test_file {
                ""
            } else {
                text.split("#[cfg(test)]").next().unwrap_or("")
            };
            let mut names: Vec<String> = single
                .captures_iter(code)
                .map(|c| c[1].to_owned())
                .collect();
            for group in grouped.captures_iter(code) {
                names.extend(group[1].split(',').filter_map(|part| {
                    let name = part.trim().split([':', ' ']).next()?.to_owned();
                    (!name.is_empty()).then_some(name)
                }));
            }
            let deps = graph.entry(module.clone()).or_default();
            deps.extend(names.into_iter().filter(|n| *n != module));
        }
    }
    graph
}

fn reaches(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_owned()];
    while let Some(m) = todo.pop() {
        for next in graph.get(&m).into_iter().flatten() {
            if next == to {
                return true;
            }
            if seen.insert(next.clone()) {
                todo.push(next.clone());
            }
        }
    }
    false
}

#[test]
fn the_top_level_modules_have_no_import_circle_and_lower_layers_never_reach_up() {
    let graph = dependencies();
    assert!(
        graph.contains_key("routes") && graph.contains_key("store"),
        "{graph:?}"
    );
    for module in graph.keys() {
        assert!(
            !reaches(&graph, module, module),
            "{module} imports itself through a circle: {graph:?}"
        );
    }
    let web_layer = ["routes", "web", "auth", "state", "startup", "cli"];
    for lower in [
        "domain",
        "store",
        "pdf",
        "instrument",
        "clock",
        "configuration",
    ] {
        for upper in web_layer {
            assert!(
                !reaches(&graph, lower, upper),
                "{lower} must not depend on {upper}: {:?}",
                graph[lower]
            );
        }
    }
    for below_routes in ["web", "auth", "state"] {
        assert!(
            !reaches(&graph, below_routes, "routes") && !reaches(&graph, below_routes, "startup"),
            "{below_routes} must not depend on the routes: {:?}",
            graph[below_routes]
        );
    }
}
