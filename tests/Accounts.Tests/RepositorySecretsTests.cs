using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Federation.Testing;

namespace Accounts.Tests;

public sealed partial class RepositorySecretsTests
{
    [Fact]
    public void Repository_Should_HoldNoKeyMaterial_When_AppSettingsScanned()
    {
        // arrange
        var files = RepositoryFiles(RepositoryPaths.Root, "appsettings*.json").ToList();

        // act
        var findings = files.SelectMany(path => Findings(path, JsonNode.Parse(File.ReadAllText(path), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })))
            .ToList();

        // assert
        Assert.NotEmpty(files);
        Assert.Empty(findings);
    }

    [Fact]
    public void Repository_Should_HoldNoPrivateKeyFiles_When_Scanned()
    {
        // act
        var keys = RepositoryFiles(RepositoryPaths.Root, "*.pem").Concat(RepositoryFiles(RepositoryPaths.Root, "*.key")).ToList();

        // assert
        Assert.Empty(keys);
    }

    private static IEnumerable<string> Findings(string path, JsonNode? node, string name = "")
    {
        switch (node)
        {
            case JsonObject obj:
                return obj.SelectMany(p => Findings(path, p.Value, p.Key));
            case JsonArray array:
                return array.SelectMany(item => Findings(path, item, name));
            case JsonValue value when value.TryGetValue<string>(out var text):
                var secretName = SecretName().IsMatch(name) && text.Length > 0;
                var keyMaterial = text.Contains("PRIVATE KEY", StringComparison.Ordinal) || text.Length >= 32 && Base64Like().IsMatch(text);
                return secretName || keyMaterial ? [$"{Path.GetRelativePath(RepositoryPaths.Root, path)}: {name}"] : [];
            default:
                return [];
        }
    }

    // Build output, dependencies and local state (./federation up keeps its generated keys in .federation/keys).
    private static readonly HashSet<string> Ignored = [".git", "bin", "obj", "node_modules", ".federation", "test-output"];

    private static IEnumerable<string> RepositoryFiles(string folder, string pattern) =>
        Directory.EnumerateFiles(folder, pattern).Concat(Directory.EnumerateDirectories(folder)
            .Where(sub => !Ignored.Contains(Path.GetFileName(sub)))
            .SelectMany(sub => RepositoryFiles(sub, pattern)));

    [GeneratedRegex("(key|secret|password|token)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex("^[A-Za-z0-9+/=_-]+$")]
    private static partial Regex Base64Like();
}
