//! HTTP (axum on tokio): serves the built site from memory under the site's base path,
//! with the content type of each file, `index.html` for folders, the site's own 404 page
//! with status 404, no listings and `Cache-Control: no-store`. Request paths that could
//! name anything outside the site (`..`, `%2e`, `%2f`, `%5c`, backslashes, NULs) are
//! refused before any lookup. `__trustdoc/` holds the live-reload script, its event
//! stream (server-sent events) and a small JSON status.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Router;
use percent_encoding::percent_decode_str;

use super::reload;

/// What the server currently serves.
#[derive(Default)]
pub struct Served {
    /// Output-relative path -> bytes, exactly as a full build writes them.
    pub files: HashMap<String, Bytes>,
    /// The last build's diagnostics as terminal lines, when it had errors (the overlay).
    pub errors: Vec<String>,
    /// How many builds have been put in place (the first build is 1).
    pub builds: u64,
    /// `<boot>-<builds>`: the id served pages carry and event streams announce.
    pub id: String,
}

/// State shared by the request handlers and the rebuild thread.
pub struct Shared {
    pub served: RwLock<Served>,
    /// The base URL's path, starting and ending with `/`.
    pub base_path: String,
    /// Tells event streams the id of the build now served (`<boot>-<builds>`).
    pub build_id: tokio::sync::watch::Sender<String>,
    /// Set once on Ctrl-C, so open event streams end and shutdown does not wait on them.
    pub shutdown: tokio::sync::watch::Sender<bool>,
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// An output-relative file path.
    File(String),
    /// The same folder with its trailing slash.
    Redirect(String),
    Script,
    Events,
    Status,
    /// A path that could leave the site: answered 400, never looked up.
    Refused,
    NotFound,
}

/// Maps the raw (still percent-encoded) request path to a route.
pub fn route(raw: &str, base_path: &str) -> Route {
    let lower = raw.to_ascii_lowercase();
    if raw.contains('\\')
        || ["%2e", "%2f", "%5c", "%00"]
            .iter()
            .any(|b| lower.contains(b))
    {
        return Route::Refused;
    }
    let Ok(path) = percent_decode_str(raw).decode_utf8() else {
        return Route::Refused;
    };
    if !path.starts_with('/')
        || path.contains(['\\', '\0'])
        || path.split('/').any(|s| s == ".." || s == ".")
    {
        return Route::Refused;
    }
    if base_path != "/" && path == base_path.trim_end_matches('/') {
        return Route::Redirect(base_path.to_string());
    }
    let Some(rest) = path.strip_prefix(base_path) else {
        return Route::NotFound;
    };
    if let Some(own) = rest.strip_prefix(reload::PREFIX) {
        return match own {
            "reload.js" => Route::Script,
            "events" => Route::Events,
            "status" => Route::Status,
            _ => Route::NotFound,
        };
    }
    if rest.is_empty() || rest.ends_with('/') {
        Route::File(format!("{rest}index.html"))
    } else {
        Route::File(rest.to_string())
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

async fn handle(State(sh): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    match route(uri.path(), &sh.base_path) {
        Route::File(rel) => file(&sh, &rel),
        Route::Redirect(to) => redirect(&to),
        Route::Script => with_type(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            Bytes::from_static(reload::SCRIPT.as_bytes()),
        ),
        Route::Events => events(&sh).into_response(),
        Route::Status => {
            let served = read(&sh);
            let json = serde_json::json!({
                "builds": served.builds,
                "errors": served.errors,
                "files": served.files.len(),
            });
            with_type(StatusCode::OK, "application/json", json.to_string().into())
        }
        Route::Refused => plain(
            StatusCode::BAD_REQUEST,
            "refused: the path could lead outside the site",
        ),
        Route::NotFound => not_found(&sh),
    }
}

fn read(sh: &Shared) -> std::sync::RwLockReadGuard<'_, Served> {
    sh.served.read().unwrap_or_else(|e| e.into_inner())
}

fn file(sh: &Shared, rel: &str) -> Response {
    let served = read(sh);
    if let Some(bytes) = served.files.get(rel) {
        return typed(sh, &served, rel, bytes.clone(), StatusCode::OK);
    }
    let folder = format!("{rel}/index.html");
    if !rel.ends_with("index.html") && served.files.contains_key(&folder) {
        return redirect(&format!("{}{rel}/", sh.base_path));
    }
    drop(served);
    not_found(sh)
}

fn not_found(sh: &Shared) -> Response {
    let served = read(sh);
    match served.files.get("404.html") {
        Some(bytes) => typed(
            sh,
            &served,
            "404.html",
            bytes.clone(),
            StatusCode::NOT_FOUND,
        ),
        None => plain(StatusCode::NOT_FOUND, "not found"),
    }
}

/// A file with its content type; HTML pages get the live-reload tail.
fn typed(sh: &Shared, served: &Served, rel: &str, bytes: Bytes, status: StatusCode) -> Response {
    let mime = mime_guess::from_path(rel).first_or_octet_stream();
    if mime.essence_str() == "text/html" {
        let tail = reload::tail(&sh.base_path, &served.id, &served.errors);
        let page = reload::inject(&bytes, &tail);
        return with_type(status, "text/html; charset=utf-8", page.into());
    }
    let ty = if mime.type_() == mime_guess::mime::TEXT || mime.subtype() == "javascript" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    with_type(status, &ty, bytes)
}

fn with_type(status: StatusCode, ty: &str, body: Bytes) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(ty) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    with_type(
        status,
        "text/plain; charset=utf-8",
        Bytes::from_static(text.as_bytes()),
    )
}

fn redirect(to: &str) -> Response {
    let mut r = plain(StatusCode::TEMPORARY_REDIRECT, "moved");
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// The event stream: the current build id at once, then each new one as soon as its build
/// is in place; ends at shutdown.
fn events(sh: &Shared) -> impl IntoResponse {
    let mut ids = sh.build_id.subscribe();
    let first = ids.borrow_and_update().clone();
    let stop = sh.shutdown.subscribe();
    let stream = futures_util::stream::unfold(
        (ids, stop, Some(first)),
        |(mut ids, mut stop, first)| async move {
            if *stop.borrow() {
                return None;
            }
            let id = match first {
                Some(id) => id,
                None => tokio::select! {
                    r = ids.changed() => {
                        r.ok()?;
                        ids.borrow_and_update().clone()
                    }
                    _ = stop.changed() => return None,
                },
            };
            let event = Event::default()
                .event("build")
                .retry(Duration::from_millis(500))
                .data(id);
            Some((Ok::<_, Infallible>(event), (ids, stop, None)))
        },
    );
    let mut r = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_files_folders_and_own_paths() {
        assert_eq!(route("/", "/"), Route::File("index.html".into()));
        assert_eq!(route("/a/b/", "/"), Route::File("a/b/index.html".into()));
        assert_eq!(route("/a%20b.png", "/"), Route::File("a b.png".into()));
        assert_eq!(
            route("/pr/42/x/", "/pr/42/"),
            Route::File("x/index.html".into())
        );
        assert_eq!(
            route("/pr/42", "/pr/42/"),
            Route::Redirect("/pr/42/".into())
        );
        assert_eq!(route("/x/", "/pr/42/"), Route::NotFound);
        assert_eq!(route("/__trustdoc/events", "/"), Route::Events);
        assert_eq!(route("/pr/__trustdoc/reload.js", "/pr/"), Route::Script);
    }

    #[test]
    fn refuses_every_traversal_spelling() {
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/x",
            "/a/.%2e/x",
            "/..%2fetc%2fpasswd",
            "/%2F%2Fetc",
            "/..%5c..%5cwindows",
            "/a\\..\\b",
            "/a/%00",
            "/./a",
            "/%ff",
        ] {
            assert_eq!(route(bad, "/"), Route::Refused, "{bad}");
        }
    }
}
