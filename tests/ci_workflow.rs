//! `.github/workflows/publish.yml`, the GitHub Actions workflow a site
//! repository publishes with, read by a YAML parser: it runs on pushes and
//! on pull requests (the web editor's drafts), `medsite check` and
//! `medsite build` run for both, the built `site` is uploaded, and the
//! deployment to GitHub Pages happens from main only, with the permissions
//! and environment it needs. Each rule is also shown to catch a workflow
//! that breaks it.

use serde_json::{Value, json};
use std::path::Path;

fn workflow_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/publish.yml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse(text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).unwrap_or_else(|e| panic!("publish.yml: {e}"))
}

/// The events that start the workflow: `on:` as a word, a list or a map.
fn triggers(wf: &Value) -> Vec<String> {
    match wf.get("on") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Whether the `push` trigger includes main (no branch filter, or one
/// that names main).
fn push_includes_main(wf: &Value) -> bool {
    let Some(push) = wf.get("on").and_then(|on| on.get("push")) else {
        // `on: push` or `on: [push, …]`: every branch.
        return triggers(wf).iter().any(|t| t == "push");
    };
    match push.get("branches") {
        None => push.get("branches-ignore").is_none(),
        Some(Value::String(b)) => b == "main",
        Some(Value::Array(bs)) => bs.iter().any(|b| b == "main"),
        _ => false,
    }
}

/// Every job with its name.
fn jobs(wf: &Value) -> Vec<(&str, &Value)> {
    wf.get("jobs")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default()
}

fn steps(job: &Value) -> &[Value] {
    job.get("steps")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn condition(v: &Value) -> &str {
    v.get("if").and_then(Value::as_str).unwrap_or("")
}

fn uses(step: &Value, action: &str) -> bool {
    step.get("uses")
        .and_then(Value::as_str)
        .is_some_and(|u| u.starts_with(&format!("{action}@")))
}

/// Whether a `run:` script calls `medsite <command>` (the binary by any
/// path, `./target/release/medsite check`), on a line of its own.
fn runs_medsite(step: &Value, command: &str) -> bool {
    let Some(script) = step.get("run").and_then(Value::as_str) else {
        return false;
    };
    script.lines().any(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        words
            .windows(2)
            .any(|w| (w[0] == "medsite" || w[0].ends_with("/medsite")) && w[1] == command)
    })
}

/// A condition that holds only for main: it compares the ref with main
/// and has no "or" that could let another branch through.
fn only_main(cond: &str) -> bool {
    let c: String = cond.chars().filter(|c| !c.is_whitespace()).collect();
    (c.contains("github.ref=='refs/heads/main'") || c.contains("github.ref==\"refs/heads/main\""))
        && !c.contains("||")
}

/// A condition that mentions the branch or the event, so that it could
/// keep a step from running on a pull request.
fn limits_events(cond: &str) -> bool {
    cond.contains("github.ref") || cond.contains("github.event_name")
}

/// Every rule the workflow breaks, in words.
fn problems(wf: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let on = triggers(wf);
    if !on.iter().any(|t| t == "push") {
        out.push("no `push` trigger".to_owned());
    } else if !push_includes_main(wf) {
        out.push("the `push` trigger leaves out main".to_owned());
    }
    if !on.iter().any(|t| t == "pull_request") {
        out.push("no `pull_request` trigger".to_owned());
    }

    let jobs = jobs(wf);
    for command in ["check", "build"] {
        let found: Vec<(&Value, &Value)> = jobs
            .iter()
            .flat_map(|(_, job)| steps(job).iter().map(move |s| (*job, s)))
            .filter(|(_, s)| runs_medsite(s, command))
            .collect();
        if found.is_empty() {
            out.push(format!("no step runs `medsite {command}`"));
        } else if !found
            .iter()
            .any(|(job, s)| !limits_events(condition(job)) && !limits_events(condition(s)))
        {
            out.push(format!(
                "`medsite {command}` does not run for every push and pull request"
            ));
        }
    }

    let uploads_site = jobs.iter().flat_map(|(_, j)| steps(j)).any(|s| {
        uses(s, "actions/upload-pages-artifact")
            && s.get("with")
                .and_then(|w| w.get("path"))
                .and_then(Value::as_str)
                .is_some_and(|p| matches!(p.trim_end_matches('/'), "site" | "./site"))
    });
    if !uploads_site {
        out.push("no step uploads `site` with actions/upload-pages-artifact".to_owned());
    }

    let deploys: Vec<(&str, &Value, &Value)> = jobs
        .iter()
        .flat_map(|(name, job)| steps(job).iter().map(move |s| (*name, *job, s)))
        .filter(|(_, _, s)| uses(s, "actions/deploy-pages"))
        .collect();
    if deploys.is_empty() {
        out.push("no step deploys with actions/deploy-pages".to_owned());
    }
    for (name, job, step) in deploys {
        if !only_main(condition(job)) && !only_main(condition(step)) {
            out.push(format!(
                "job `{name}` deploys from other branches than main"
            ));
        }
        let perms = job.get("permissions").or_else(|| wf.get("permissions"));
        for (key, value) in [("pages", "write"), ("id-token", "write")] {
            if perms.and_then(|p| p.get(key)).and_then(Value::as_str) != Some(value) {
                out.push(format!(
                    "job `{name}` lacks the permission `{key}: {value}`"
                ));
            }
        }
        let env = job.get("environment");
        let env_name = env
            .and_then(|e| e.get("name"))
            .or(env)
            .and_then(Value::as_str);
        if env_name != Some("github-pages") {
            out.push(format!(
                "job `{name}` does not run in the `github-pages` environment"
            ));
        }
        if job.get("needs").is_none() {
            out.push(format!(
                "job `{name}` does not wait for the build (`needs`)"
            ));
        }
    }
    out
}

#[test]
fn the_publish_workflow_checks_every_change_and_deploys_from_main_only() {
    let wf = parse(&workflow_text());
    assert_eq!(problems(&wf), Vec::<String>::new());
}

/// The real workflow with one change made to it.
fn broken(change: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut wf = parse(&workflow_text());
    change(&mut wf);
    problems(&wf)
}

fn job_with<'a>(wf: &'a mut Value, action: &str) -> &'a mut Value {
    let name = jobs(wf)
        .into_iter()
        .find(|(_, j)| steps(j).iter().any(|s| uses(s, action)))
        .map(|(n, _)| n.to_owned())
        .unwrap_or_else(|| panic!("no job uses {action}"));
    &mut wf["jobs"][name]
}

fn step_with(wf: &mut Value, pick: impl Fn(&Value) -> bool) -> &mut Value {
    let (job, index) = jobs(wf)
        .into_iter()
        .find_map(|(n, j)| steps(j).iter().position(&pick).map(|i| (n.to_owned(), i)))
        .expect("a matching step");
    &mut wf["jobs"][job]["steps"][index]
}

#[test]
fn a_workflow_without_the_push_or_pull_request_trigger_is_caught() {
    let p = broken(|wf| {
        wf["on"].as_object_mut().unwrap().remove("pull_request");
    });
    assert!(p.contains(&"no `pull_request` trigger".to_owned()), "{p:?}");
    let p = broken(|wf| {
        wf["on"].as_object_mut().unwrap().remove("push");
    });
    assert!(p.contains(&"no `push` trigger".to_owned()), "{p:?}");
    let p = broken(|wf| wf["on"]["push"] = json!({"branches": ["release"]}));
    assert!(
        p.contains(&"the `push` trigger leaves out main".to_owned()),
        "{p:?}"
    );
}

#[test]
fn a_workflow_that_skips_check_or_build_is_caught() {
    for command in ["check", "build"] {
        let p = broken(|wf| {
            step_with(wf, |s| runs_medsite(s, command))["run"] = json!("echo skipped");
        });
        assert!(
            p.contains(&format!("no step runs `medsite {command}`")),
            "{p:?}"
        );
        // Run on main only, the reviewer of a pull request would not see it.
        let p = broken(|wf| {
            step_with(wf, |s| runs_medsite(s, command))["if"] =
                json!("github.ref == 'refs/heads/main'");
        });
        assert!(
            p.contains(&format!(
                "`medsite {command}` does not run for every push and pull request"
            )),
            "{p:?}"
        );
    }
}

#[test]
fn a_workflow_that_uploads_something_else_is_caught() {
    let p = broken(|wf| {
        step_with(wf, |s| uses(s, "actions/upload-pages-artifact"))["with"]["path"] =
            json!("public");
    });
    assert!(
        p.contains(&"no step uploads `site` with actions/upload-pages-artifact".to_owned()),
        "{p:?}"
    );
}

#[test]
fn a_deployment_from_other_branches_is_caught() {
    let expected = |p: &[String]| {
        p.iter()
            .any(|m| m.ends_with("deploys from other branches than main"))
    };
    let p = broken(|wf| {
        job_with(wf, "actions/deploy-pages")
            .as_object_mut()
            .unwrap()
            .remove("if");
    });
    assert!(expected(&p), "{p:?}");
    let p = broken(|wf| {
        job_with(wf, "actions/deploy-pages")["if"] =
            json!("github.ref == 'refs/heads/main' || github.event_name == 'pull_request'");
    });
    assert!(expected(&p), "{p:?}");
    let p = broken(|wf| {
        job_with(wf, "actions/deploy-pages")["if"] = json!("github.event_name != 'pull_request'");
    });
    assert!(expected(&p), "{p:?}");
}

#[test]
fn a_deployment_without_its_permissions_or_environment_is_caught() {
    let p = broken(|wf| {
        let job = job_with(wf, "actions/deploy-pages");
        job["permissions"]
            .as_object_mut()
            .unwrap()
            .remove("id-token");
        job.as_object_mut().unwrap().remove("environment");
    });
    assert!(p.iter().any(|m| m.ends_with("`id-token: write`")), "{p:?}");
    assert!(
        p.iter().any(|m| m.ends_with("`github-pages` environment")),
        "{p:?}"
    );
}

#[test]
fn every_form_of_on_is_read() {
    assert_eq!(triggers(&json!({"on": "push"})), ["push"]);
    assert_eq!(
        triggers(&json!({"on": ["push", "pull_request"]})),
        ["push", "pull_request"]
    );
    assert!(push_includes_main(&json!({"on": ["push"]})));
    assert!(push_includes_main(&json!({"on": {"push": null}})));
    assert!(!push_includes_main(
        &json!({"on": {"push": {"branches-ignore": ["main"]}}})
    ));
}
