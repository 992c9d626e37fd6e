using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using GraphQLParser.AST;
using GraphQLParser.Visitors;

namespace Federation.Gateway.Planning;

/// <summary>
/// Aliases the planner adds to subgraph operations. Required fields with arguments get a stable alias so they never
/// collide with the client's own use of that field; fields whose types differ between sibling fragments get a
/// temporary alias that the executor strips when merging, so each object ends up with the client's response key.
/// </summary>
public static partial class InternalAliases
{
    private const string TemporaryPrefix = "fedalias_";

    public static string? ForFieldSetField(GraphQLField field)
    {
        if (field.Arguments is not { Items.Count: > 0 } arguments)
        {
            return null;
        }

        var printed = string.Join(",", arguments.Items.Select(a => a.Name.StringValue + ":" + new SDLPrinter().Print(a.Value)));
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(printed)))[..8].ToLowerInvariant();
        return field.Name.StringValue + "__req_" + hash;
    }

    public static string Temporary(int index, string responseKey) => TemporaryPrefix + index + "_" + responseKey;

    /// <summary>The client's response key for a key that may carry a temporary alias.</summary>
    public static string Strip(string key) =>
        key.StartsWith(TemporaryPrefix, StringComparison.Ordinal) && TemporaryPattern().Match(key) is { Success: true } m ? m.Groups[1].Value : key;

    [GeneratedRegex("^fedalias_[0-9]+_(.*)$")]
    private static partial Regex TemporaryPattern();
}
