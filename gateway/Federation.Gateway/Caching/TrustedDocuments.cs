using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Federation.Gateway.Caching;

/// <summary>
/// The operations first-party clients were built with, loaded from their manifests: by id (what a client sends as
/// <c>extensions.persistedQuery.sha256Hash</c>) and by the SHA-256 of their text (to recognise a listed operation sent
/// in full). Two formats are read: graphql-codegen's client preset <c>persisted-documents.json</c> (<c>{ "id": "text" }</c>)
/// and Apollo's persisted query manifest (<c>{ "format": "apollo-persisted-query-manifest", "operations": [{ "id", "body" }] }</c>).
/// </summary>
public sealed class TrustedDocuments
{
    private readonly FrozenDictionary<string, string> _byId;
    private readonly FrozenSet<string> _textHashes;

    public TrustedDocuments(IEnumerable<KeyValuePair<string, string>> documents)
    {
        var byId = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, text) in documents)
        {
            if (byId.TryGetValue(id, out var known) && known != text)
            {
                throw new InvalidDataException($"Trusted document id '{id}' names two different documents.");
            }

            byId[id] = text;
        }

        _byId = byId.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _textHashes = byId.Values.Select(Hash).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    public int Count => _byId.Count;

    public bool TryGet(string id, out string text) => _byId.TryGetValue(id, out text!);

    /// <summary>Whether a document with exactly this text (its SHA-256, hex) is listed, under whatever id.</summary>
    public bool ContainsText(string sha256Hex) => _textHashes.Contains(sha256Hex);

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Reads every manifest; a missing file or one in neither format fails with its path named.</summary>
    public static TrustedDocuments Load(IEnumerable<string> paths)
    {
        var documents = new List<KeyValuePair<string, string>>();
        foreach (var path in paths)
        {
            try
            {
                documents.AddRange(Read(JsonNode.Parse(File.ReadAllText(path))));
            }
            catch (Exception ex) when (ex is IOException or JsonException or InvalidDataException or UnauthorizedAccessException)
            {
                throw new InvalidDataException($"Trusted documents manifest {path}: {ex.Message}", ex);
            }
        }

        return new TrustedDocuments(documents);
    }

    private static IEnumerable<KeyValuePair<string, string>> Read(JsonNode? manifest)
    {
        if (manifest is not JsonObject root)
        {
            throw new InvalidDataException("expected a JSON object.");
        }

        if (root["format"] is JsonValue format)
        {
            if (format.GetValueKind() != JsonValueKind.String || format.GetValue<string>() != "apollo-persisted-query-manifest"
                || root["operations"] is not JsonArray operations)
            {
                throw new InvalidDataException("a manifest with \"format\" must be an apollo-persisted-query-manifest with \"operations\".");
            }

            foreach (var operation in operations)
            {
                yield return new(Text(operation?["id"], "operations[].id"), Text(operation?["body"], "operations[].body"));
            }

            yield break;
        }

        foreach (var (id, text) in root)
        {
            yield return new(id, Text(text, $"\"{id}\""));
        }
    }

    private static string Text(JsonNode? node, string what) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text
            ? text
            : throw new InvalidDataException($"{what} must be a non-empty string.");
}
