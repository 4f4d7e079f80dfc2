/**
 * The few HTML pages oidc-provider renders itself (logout confirmation, signed out, errors): plain
 * HTML forms in Vietnamese, no script (the CSP of /oidc allows none), styles inline in a <style> block.
 */
const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6f8;color:#1b2733;margin:0}
main{max-width:28rem;margin:4rem auto;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.15);padding:2rem}
h1{font-size:1.35rem;margin-top:0}.actions{display:flex;gap:.75rem;margin-top:1.5rem;flex-wrap:wrap}
button{font:inherit;padding:.6rem 1.1rem;border-radius:6px;border:1px solid #b3261e;background:#b3261e;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1b2733;border-color:#8a96a3}a{color:#0b5cad}.code{color:#5a6b7b;font-size:.9rem}`;

export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — TinhSo</title>
<style>${STYLE}</style>
</head>
<body><main>${body}</main></body>
</html>`;
}
