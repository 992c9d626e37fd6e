using System.Text.Json.Nodes;
using Federation.Testing.Processes;

namespace Federation.Testing.Http;

/// <summary>
/// The public GraphQL-over-HTTP audit of the graphql-http npm package (<c>auditServer</c>), run by node from
/// <c>tests/clients/graphql-http-audit.mjs</c> against one endpoint.
/// </summary>
public static class GraphQLHttpAudit
{
    public sealed record Check(string Id, string Name, string Status, string? Reason)
    {
        public override string ToString() => $"{Id} {Status}: {Name}{(Reason is null ? string.Empty : " (" + Reason + ")")}";
    }

    /// <summary>Every check's result; throws when the audit itself could not run.</summary>
    /// <param name="authorization">An Authorization header value every audit request carries (a subgraph's internal token).</param>
    public static async Task<IReadOnlyList<Check>> RunAsync(string url, string? authorization = null)
    {
        var directory = Path.Combine(RepositoryPaths.Root, "tests", "clients");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "graphql-http")))
        {
            throw new InvalidOperationException($"graphql-http is not installed: run npm ci --prefix {directory} (./federation test does).");
        }

        await using var node = ChildProcess.Start("graphql-http audit", "node", ["graphql-http-audit.mjs", url], new ChildProcessOptions
        {
            WorkingDirectory = directory,
            Environment = new Dictionary<string, string?> { ["AUDIT_AUTHORIZATION"] = authorization },
        });
        var exitCode = await node.WaitForExitAsync(TimeSpan.FromMinutes(2));
        var report = node.StandardOutputLines.LastOrDefault() is { } line && line.StartsWith('{') ? JsonNode.Parse(line) : null;
        if (exitCode is not (0 or 1) || report?["results"] is not JsonArray results)
        {
            throw new InvalidOperationException($"The audit did not run (exit {exitCode}):\n{node.OutputTail()}");
        }

        return [.. results.Select(r => new Check(
            r!["id"]!.GetValue<string>(),
            r["name"]!.GetValue<string>(),
            r["status"]!.GetValue<string>(),
            r["reason"]?.GetValue<string>()))];
    }
}
