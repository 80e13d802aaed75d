/**
 * The layout every server-rendered page shares (the member's page, the admin dashboard): Eta,
 * which escapes every `<%= %>` by default; `<%~ %>` (unescaped) is for the body only. No inline
 * script or style anywhere, so helmet's default CSP holds; the look is one stylesheet.
 */
export const LAYOUT_TEMPLATE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= it.title %> · Jeeves</title>
<link rel="stylesheet" href="<%= it.stylesheet %>">
<% it.scripts.forEach(function (src) { %><script src="<%= src %>" defer></script>
<% }) %></head>
<body>
<header class="site">
<a class="brand" href="/me">Jeeves</a>
<% if (it.signedInAs) { %><span class="who">Signed in as <%= it.signedInAs %> · <a href="/logout">Sign out</a></span><% } %>
</header>
<main<% if (it.wide) { %> class="wide"<% } %>>
<h1><%= it.title %></h1>
<% if (it.notice) { %><p class="notice" role="status"><%= it.notice %></p><% } %>
<% if (it.error) { %><p class="error" role="alert"><%= it.error %></p><% } %>
<%~ it.body %>
</main>
</body>
</html>
`;
