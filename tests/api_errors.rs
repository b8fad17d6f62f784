//! Error bodies from a real MLflow server read into messages that say what the server said.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use trace_viewer::api::{http_error, ApiError, ApiErrorKind};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors").join(name)).unwrap()
}

#[test]
fn mlflow_error_bodies_keep_code_and_message() {
    let kind = http_error(400, &fixture("traces_search_v3_max_results_501_error.json"));
    let ApiErrorKind::Http { status, error_code, message } = &kind else { panic!("{kind:?}") };
    assert_eq!((*status, error_code.as_deref()), (400, Some("INVALID_PARAMETER_VALUE")));
    assert!(message.starts_with("Invalid value 501 for parameter 'max_results'"), "{message}");

    let error = ApiError {
        url: "http://h/api/3.0/mlflow/traces/tr-0".into(),
        kind: http_error(404, &fixture("trace_info_v3_not_found_error.json")),
    };
    assert!(error.to_string().starts_with("The server answered 404 RESOURCE_DOES_NOT_EXIST: "), "{error}");
}

#[test]
fn fastapi_details_and_html_pages_still_give_a_message() {
    let ApiErrorKind::Http { error_code, message, .. } = http_error(422, &fixture("otlp_v1_traces_missing_header_error.json")) else {
        panic!()
    };
    assert_eq!(error_code, None);
    assert!(message.contains("x-mlflow-experiment-id"), "{message}");

    let ApiErrorKind::Http { message, .. } = http_error(404, &fixture("trace_artifact_api_prefix_404.txt")) else { panic!() };
    assert!(message.starts_with("Not Found"), "an HTML page is not shown as markup: {message}");
    assert!(!message.contains('<'));

    let ApiErrorKind::Http { message, .. } = http_error(502, "") else { panic!() };
    assert_eq!(message, "the server is unavailable right now");
}

#[test]
fn a_sign_in_in_front_of_the_server_says_where_to_sign_in() {
    let body = "You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html on how to authenticate.";
    let error = ApiError { url: "https://mlflow.example.com/api/2.0/mlflow/experiments/search".into(), kind: http_error(401, body) };
    let said = error.to_string();
    assert!(said.starts_with("The server answered 401: You are not authenticated."), "{said}");
    assert!(
        said.contains("Sign in to https://mlflow.example.com in this browser (open it in a tab and sign in), then try again."),
        "{said}"
    );
    // The sign-in reaches a server on another origin only with config.json's credentials mode: said until it is on.
    assert!(said.ends_with(r#"only when its config.json says "credentials": "include"."#), "{said}");
    trace_viewer::api::send_credentials_to(Some("https://mlflow.example.com".into()));
    let said = error.to_string();
    trace_viewer::api::send_credentials_to(None);
    assert!(said.ends_with("then try again."), "credentials already go there: {said}");
    // trace-viewer serve's own 401 (an MLflow error code) already says which variables to set.
    let served = ApiError {
        url: "http://127.0.0.1:8080/api/x".into(),
        kind: http_error(401, r#"{"error_code": "UNAUTHENTICATED", "message": "set MLFLOW_TRACKING_PASSWORD"}"#),
    };
    assert!(!served.to_string().contains("Sign in to"), "{served}");
}

#[test]
fn unreachable_servers_name_the_origin_to_allow() {
    let error = ApiError {
        url: "http://127.0.0.1:5000/api/3.0/mlflow/traces/search".into(),
        kind: ApiErrorKind::Unreachable { page_origin: "http://viewer.test:8080".into() },
    };
    let text = error.to_string();
    assert!(text.starts_with("Could not reach http://127.0.0.1:5000/api/3.0/mlflow/traces/search."), "{text}");
    assert!(text.contains("--cors-allowed-origins http://viewer.test:8080"), "{text}");
}

#[test]
fn a_server_that_never_answers_is_named_with_the_wait() {
    let error = ApiError { url: "http://127.0.0.1:5000/api/3.0/mlflow/traces/search".into(), kind: ApiErrorKind::TimedOut };
    assert_eq!(
        error.to_string(),
        "http://127.0.0.1:5000/api/3.0/mlflow/traces/search did not answer within 20 seconds. The server may be overloaded or stuck; try again later."
    );
}

#[test]
fn only_failures_that_may_pass_are_retried() {
    let error = |kind| ApiError { url: "http://127.0.0.1:5000/api/3.0/mlflow/traces/search".into(), kind };
    let status = |status| error(http_error(status, ""));
    assert!(error(ApiErrorKind::Unreachable { page_origin: "http://127.0.0.1:8080".into() }).is_transient());
    for gateway in [429, 502, 503, 504] {
        assert!(status(gateway).is_transient(), "{gateway}");
    }
    // The server understood and refused, or is broken: asking again gives the same answer.
    for final_answer in [400, 401, 403, 404, 500] {
        assert!(!status(final_answer).is_transient(), "{final_answer}");
    }
    assert!(!error(ApiErrorKind::TimedOut).is_transient(), "the user already waited 20 seconds");
    assert!(!error(ApiErrorKind::InvalidResponse("not JSON".into())).is_transient());
}

#[test]
fn a_page_token_handed_out_again_ends_the_paging_with_an_error() {
    use trace_viewer::api::PageTokens;
    let mut followed = PageTokens::default();
    assert_eq!(followed.follow(Some("a".into()), 500), Ok(Some("a".into())));
    assert_eq!(followed.follow(Some("b".into()), 500), Ok(Some("b".into())));
    assert_eq!(followed.follow(Some(String::new()), 500), Ok(None), "an empty token is the end");
    let err = followed.follow(Some("a".into()), 500).unwrap_err();
    assert!(err.contains("\"a\" a second time"), "{err}");
    assert_eq!(followed.follow(None, 500), Ok(None));
}

#[test]
fn a_page_that_adds_nothing_ends_the_paging_and_pages_are_capped() {
    use trace_viewer::api::PageTokens;
    let mut followed = PageTokens::default();
    assert_eq!(followed.follow(Some("fresh-1".into()), 0), Ok(None), "an empty page offering a fresh token is the end");
    let mut endless = PageTokens::default();
    for page in 0..PageTokens::MOST_PAGES {
        assert_eq!(endless.follow(Some(format!("t{page}")), 1), Ok(Some(format!("t{page}"))));
    }
    let err = endless.follow(Some("one more".into()), 1).unwrap_err();
    assert!(err.contains("past 1000"), "{err}");
}
