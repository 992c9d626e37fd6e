using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Federation.Gateway.Host;

/// <summary>
/// Banana Cake Pop for browsers at the GraphQL endpoint, from the npm package the build installs under
/// <c>gateway/Gateway/ide/</c> (or the folder in <c>BananaCakePop:Path</c>).
/// </summary>
public static class BananaCakePop
{
    public const string PackageFolder = "ide/node_modules/@chillicream/bananacakepop-graphql-ide";

    /// <summary>A browser navigation asks for HTML and carries no operation; GET with <c>query=</c> stays GraphQL.</summary>
    public static bool IsBrowserRequest(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && !context.Request.Query.ContainsKey("query")
        && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    public static void MapBananaCakePop(this WebApplication app, string pattern)
    {
        var directory = app.Services.GetRequiredService<IdeLocation>().Directory;
        // Before the static files, which would serve the package's own worker (see RetiringServiceWorker).
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.Equals(pattern + "/service-worker.js", StringComparison.Ordinal))
            {
                context.Response.ContentType = "text/javascript; charset=utf-8";
                context.Response.Headers.CacheControl = "no-cache";
                await context.Response.WriteAsync(RetiringServiceWorker, context.RequestAborted);
                return;
            }

            await next(context);
        });
        if (directory is not null)
        {
            // index.html loads "static/..." relative to the page, so the IDE lives at "/graphql/" and its files below it.
            app.UseStaticFiles(new StaticFileOptions
            {
                RequestPath = pattern,
                FileProvider = new PhysicalFileProvider(directory),
                ContentTypeProvider = new FileExtensionContentTypeProvider(),
            });
        }

        app.MapGet(pattern + "/bcp-config.json", (HttpContext context) => Results.Text(
            new JsonObject
            {
                ["title"] = "Federation gateway",
                ["endpoint"] = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{pattern}",
                ["useBrowserUrlAsEndpoint"] = false,
                // Otherwise the IDE posts to telemetry.chillicream.com a few seconds after load and every few hours after.
                ["disableTelemetry"] = true,
            }.ToJsonString(),
            "application/json"));
    }

    public static async Task ServeAsync(HttpContext context, string pattern)
    {
        if (context.Request.Path.Value?.EndsWith('/') != true)
        {
            context.Response.Redirect($"{context.Request.PathBase}{pattern}/{context.Request.QueryString}");
            return;
        }

        var directory = context.RequestServices.GetRequiredService<IdeLocation>().Directory;
        context.Response.ContentType = "text/html; charset=utf-8";
        if (directory is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync(MissingPage, context.RequestAborted);
            return;
        }

        await context.Response.SendFileAsync(Path.Combine(directory, "index.html"), context.RequestAborted);
    }

    /// <summary>The configured folder, else the package installed in the host's project (found from its binaries or the repository).</summary>
    public static string? Locate(string? configured)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(Path.Combine(configured, "index.html")) ? Path.GetFullPath(configured) : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, PackageFolder), Path.Combine(dir.FullName, "gateway", "Gateway", PackageFolder) })
            {
                if (File.Exists(Path.Combine(candidate, "index.html")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Served in place of the package's Workbox worker. That one precaches the IDE and claims the page on its first
    /// install, and the IDE reloads on the controller change: 5-7 s after a first visit, losing what was clicked. This
    /// one claims nothing, so a first visit is never reloaded, and unregisters itself; a browser that still runs the old
    /// worker swaps it for this one on its next update check (reloading once) and then has none.
    /// </summary>
    private const string RetiringServiceWorker = """
        self.addEventListener('install', () => self.skipWaiting());
        self.addEventListener('activate', (event) => event.waitUntil(self.registration.unregister()));
        """;

    private static readonly string MissingPage = $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Banana Cake Pop is not installed</title></head>
        <body>
        <h1>Banana Cake Pop is not installed</h1>
        <p>The gateway serves the IDE from the npm package <code>@chillicream/bananacakepop-graphql-ide</code>, which the
        build installs into <code>gateway/Gateway/{WebUtility.HtmlEncode(PackageFolder)}</code> when <code>npm</code> is available.</p>
        <p>Install it with <code>npm ci --prefix gateway/Gateway/ide</code> (or rebuild the gateway with Node.js on the PATH),
        or point <code>BananaCakePop:Path</code> at an unpacked copy of the package, then reload this page.</p>
        <p>The GraphQL endpoint itself works: POST JSON, or GET with <code>?query=</code>.</p>
        </body></html>
        """;
}

/// <summary>Where the IDE's files are, decided once at start-up.</summary>
public sealed record IdeLocation(string? Directory);
