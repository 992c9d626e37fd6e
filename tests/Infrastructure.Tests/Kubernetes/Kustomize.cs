using System.Collections.Concurrent;
using System.Text.Json;
using Federation.Testing;
using Federation.Testing.Processes;

namespace Infrastructure.Tests.Kubernetes;

/// <summary>
/// Renders deploy/overlays/&lt;name&gt; with <c>kubectl kustomize</c> and validates the objects with
/// tools/k8s-validate (the Kubernetes API schemas compiled by the kubernetes-models packages), all offline.
/// </summary>
internal static class Kustomize
{
    public static readonly string DeployPath = Path.Combine(RepositoryPaths.Root, "deploy");

    public static readonly TheoryData<string> Overlays = new("dev", "production");

    private static readonly string ValidatorPath = Path.Combine(RepositoryPaths.Root, "tools", "k8s-validate");
    private static readonly Lazy<Task> Installed = new(InstallValidatorAsync);
    private static readonly ConcurrentDictionary<string, Lazy<Task<Rendered>>> Renders = new();

    public static Task<Rendered> RenderAsync(string overlay) =>
        Renders.GetOrAdd(overlay, name => new Lazy<Task<Rendered>>(() => RunAsync(
            $"kustomize {name}",
            """set -o pipefail; kubectl kustomize "$1" | node "$2/validate.mjs" """,
            [Path.Combine(DeployPath, "overlays", name)],
            stdin: null))).Value;

    /// <summary>Validates YAML given on standard input, as a render would be.</summary>
    public static Task<Rendered> ValidateAsync(string yaml) =>
        RunAsync("validate", """node "$2/validate.mjs" """, ["-"], yaml);

    private static async Task<Rendered> RunAsync(string name, string script, string[] arguments, string? stdin)
    {
        if (ChildProcess.Which("kubectl") is null)
        {
            throw new InvalidOperationException("kubectl is required for the deploy/ tests (Debian: apt-get install kubectl); it renders the overlays offline.");
        }

        await Installed.Value;
        await using var bash = ChildProcess.Start(name, "/bin/bash", ["-c", script, "bash", .. arguments, ValidatorPath]);
        if (stdin is not null)
        {
            await bash.StandardInput.WriteAsync(stdin);
        }

        bash.CloseStandardInput();
        var exitCode = await bash.WaitForExitAsync(TimeSpan.FromSeconds(120));
        var json = string.Concat(bash.StandardOutputLines);
        if (json.Length == 0)
        {
            return new Rendered(exitCode, string.Join('\n', bash.StandardErrorLines), [], [], []);
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new Rendered(
            exitCode,
            string.Join('\n', bash.StandardErrorLines),
            [.. root.GetProperty("objects").EnumerateArray().Select(o => o.Clone())],
            [.. root.GetProperty("invalid").EnumerateArray().Select(i => $"{i.GetProperty("object").GetString()}: {string.Join("; ", i.GetProperty("errors").EnumerateArray().Select(e => e.GetString()))}")],
            [.. root.GetProperty("unchecked").EnumerateArray().Select(u => u.GetString()!)]);
    }

    // The same rule as ./federation's npm_ci: install when node_modules is missing or older than the lock file.
    private static async Task InstallValidatorAsync()
    {
        var installed = Path.Combine(ValidatorPath, "node_modules", ".package-lock.json");
        if (File.Exists(installed) && File.GetLastWriteTimeUtc(installed) >= File.GetLastWriteTimeUtc(Path.Combine(ValidatorPath, "package-lock.json")))
        {
            return;
        }

        await using var npm = ChildProcess.Start("npm ci tools/k8s-validate", "npm", ["ci", "--prefix", ValidatorPath, "--no-audit", "--no-fund", "--loglevel=error"]);
        var exitCode = await npm.WaitForExitAsync(TimeSpan.FromMinutes(5));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in tools/k8s-validate failed ({exitCode}).\n{npm.OutputTail()}");
        }
    }
}

/// <summary>What one render printed: the objects, the ones that broke their schema and those no schema covers.</summary>
internal sealed record Rendered(int ExitCode, string Errors, IReadOnlyList<JsonElement> Objects, IReadOnlyList<string> Invalid, IReadOnlyList<string> Unchecked)
{
    public IEnumerable<JsonElement> OfKind(string kind) => Objects.Where(o => o.Text("kind") == kind);

    public JsonElement Single(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => o.Text("metadata", "name") == name) is { ValueKind: JsonValueKind.Object } found
            ? found
            : throw new Xunit.Sdk.XunitException($"The render has no {kind} named {name}.");
}

internal static class JsonPaths
{
    /// <summary>The element at the path of property names, or an Undefined element when a step is missing.</summary>
    public static JsonElement At(this JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return default;
            }
        }

        return element;
    }

    public static string? Text(this JsonElement element, params string[] path) =>
        element.At(path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static IEnumerable<JsonElement> Items(this JsonElement element, params string[] path) =>
        element.At(path) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    public static Dictionary<string, string> Labels(this JsonElement element, params string[] path) =>
        element.At(path) is { ValueKind: JsonValueKind.Object } labels
            ? labels.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
            : [];
}
