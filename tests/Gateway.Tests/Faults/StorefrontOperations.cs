using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Federation.Testing;

namespace Federation.Gateway.Tests.Faults;

/// <summary>
/// One operation the web storefront sends, read from its source under <c>web/src</c> so the suite follows the app,
/// with the part of the answer each subgraph contributes (<see cref="Parts"/>): paths like
/// <c>product.reviews.edges[*].node.user</c>, a one-segment path being a root field the subgraph resolves. A field one
/// subgraph adds to another's entity, and a reference into another subgraph's entity, is nullable, so a failing
/// subgraph's null stays in place, at its part.
/// </summary>
public sealed record StorefrontOperation(
    string Page,
    string Name,
    string Document,
    bool SignedIn,
    IReadOnlyDictionary<string, string[]> Parts)
{
    /// <summary>Subgraphs whose failure shows in this operation's answer.</summary>
    public IEnumerable<string> Subgraphs => Parts.Keys;

    public string[] PartsOf(string subgraph) => Parts.TryGetValue(subgraph, out var parts) ? parts : [];
}

public static partial class StorefrontOperations
{
    /// <summary>
    /// Product list, product page, user page (order history and the header's unread badge), checkout and the order page
    /// it leads to: together they read from all seven subgraphs.
    /// </summary>
    public static IReadOnlyList<StorefrontOperation> All { get; } = Load();

    private static IReadOnlyList<StorefrontOperation> Load()
    {
        var documents = Documents();
        StorefrontOperation Operation(string page, string name, bool signedIn, Dictionary<string, string[]> parts) =>
            new(page, name, documents.TryGetValue(name, out var document) ? document : throw new InvalidOperationException($"web/src has no operation {name}."), signedIn, parts);

        return
        [
            Operation("product list", "Products", false, new() { ["catalog"] = ["products"] }),
            Operation("product page", "Product", false, new()
            {
                ["catalog"] = ["product"],
                ["inventory"] = ["product.stock"],
                ["reviews"] = ["product.reviews", "product.viewerCanReview"],
                ["accounts"] = ["product.reviews.edges[*].node.user"],
            }),
            Operation("user page", "MyOrders", true, new() { ["accounts"] = ["user"], ["orders"] = ["user.orders"] }),
            Operation("user page", "UnreadNotifications", true, new() { ["accounts"] = ["user"], ["notifications"] = ["user.unreadNotificationCount"] }),
            Operation("checkout", "PlaceOrder", true, new() { ["orders"] = ["placeOrder"] }),
            Operation("order page", "Order", true, new()
            {
                ["orders"] = ["order"],
                ["catalog"] = ["order.lines[*].product"],
                ["payments"] = ["order.payment"],
            }),
        ];
    }

    /// <summary>Every <c>graphql(`...`)</c> document in the app's source, by operation name.</summary>
    private static Dictionary<string, string> Documents()
    {
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "web", "src"), "*.tsx", SearchOption.AllDirectories))
        {
            foreach (Match match in GraphQLDocument().Matches(File.ReadAllText(file)))
            {
                var document = match.Groups[1].Value.Trim();
                documents[OperationName().Match(document).Groups[1].Value] = document;
            }
        }

        return documents;
    }

    /// <summary>The values a path such as <c>order.lines[*].product</c> names in <paramref name="data"/>.</summary>
    public static IEnumerable<PathValue> Select(JsonNode? data, string path)
    {
        IEnumerable<PathValue> current = [new PathValue(string.Empty, data, true)];
        foreach (var segment in path.Split('.'))
        {
            var all = segment.EndsWith("[*]", StringComparison.Ordinal);
            var name = all ? segment[..^3] : segment;
            current = current.SelectMany(parent => Step(parent, name, all)).ToList();
        }

        return current;
    }

    private static IEnumerable<PathValue> Step(PathValue parent, string name, bool all)
    {
        var here = parent.Path.Length == 0 ? name : $"{parent.Path}.{name}";
        if (!parent.Reached || parent.Value is not JsonObject container)
        {
            // The parent is null (or was never reached): the value is missing, not null in place.
            yield return new PathValue(here, null, false);
            yield break;
        }

        var value = container[name];
        if (!all || value is not JsonArray items)
        {
            yield return new PathValue(here, value, true);
            yield break;
        }

        for (var i = 0; i < items.Count; i++)
        {
            yield return new PathValue($"{here}[{i}]", items[i], true);
        }
    }

    [GeneratedRegex(@"graphql\(`([^`]*)`\)")]
    private static partial Regex GraphQLDocument();

    [GeneratedRegex(@"^(?:query|mutation|subscription)\s+(\w+)")]
    private static partial Regex OperationName();
}

/// <summary>One value a path selects; <see cref="Reached"/> is false when an ancestor is already null.</summary>
public sealed record PathValue(string Path, JsonNode? Value, bool Reached);
