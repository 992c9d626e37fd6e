using System.Globalization;
using System.Text.Json;
using Federation.Gateway.Schema;
using GraphQLParser.AST;

namespace Federation.Gateway.Subscriptions;

/// <summary>
/// A subscription field fed by a Kafka topic, declared with <c>@kafkaSubscribe</c> (linked as
/// <see cref="EventStreamFields.SpecUrl"/> and kept in the supergraph by <c>@composeDirective</c>). Each event of one of
/// <see cref="Events"/> on <see cref="Topic"/> whose data passes <see cref="Filters"/> and <see cref="Owner"/> becomes the
/// field's entity, keyed by the data's <see cref="KeyProperty"/>; the subscriber's selection is resolved from that key by
/// the ordinary plan (entity fetches to the subgraphs owning the fields).
/// </summary>
/// <param name="Filters">Argument name -> data property; an event passes when each given argument equals its property.</param>
/// <param name="Owner">The data property holding the user id that must be the caller's subject; null: any caller.</param>
/// <param name="Current">The first event is the entity named by the key argument as it is now (also checks the caller may read it).</param>
public sealed record EventStreamField(
    string FieldName,
    string TypeName,
    string KeyField,
    string Topic,
    IReadOnlySet<string> Events,
    string KeyProperty,
    IReadOnlyDictionary<string, string> Filters,
    string? Owner,
    bool Current)
{
    /// <summary>The key argument: the filter on <see cref="KeyProperty"/>, whose value names the entity before any event.</summary>
    public string? KeyArgument => Filters.FirstOrDefault(f => f.Value == KeyProperty).Key;

    /// <summary>A key or filter value as the subgraphs' <c>ID</c> fields answer it: integers as digits, strings as they are.</summary>
    public static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
        JsonValueKind.String => value.GetString(),
        _ => null,
    };
}

/// <summary>The supergraph's event-driven subscription fields, by field name; a declaration that cannot be served is in <see cref="Invalid"/>.</summary>
public sealed class EventStreamFields
{
    public const string SpecUrl = "https://federation.example/kafka/v0.1";

    public static readonly EventStreamFields None = new();

    public IReadOnlyDictionary<string, EventStreamField> ByField { get; private init; } = new Dictionary<string, EventStreamField>();

    /// <summary>Field name -> why its <c>@kafkaSubscribe</c> cannot be served (the field then answers that as an error).</summary>
    public IReadOnlyDictionary<string, string> Invalid { get; private init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Topics => [.. ByField.Values.Select(f => f.Topic).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public static EventStreamFields Read(Supergraph supergraph)
    {
        var directive = ImportedName(supergraph);
        if (directive is null || supergraph.SubscriptionType is not { } subscription
            || supergraph.Document.Definitions.OfType<GraphQLObjectTypeDefinition>().FirstOrDefault(t => t.Name.StringValue == subscription) is not { } type)
        {
            return None;
        }

        var fields = new Dictionary<string, EventStreamField>(StringComparer.Ordinal);
        var invalid = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in type.Fields?.Items ?? [])
        {
            if (Supergraph.Directive(field.Directives, directive) is not { } applied)
            {
                continue;
            }

            var name = field.Name.StringValue;
            try
            {
                fields[name] = Parse(supergraph, field, applied);
            }
            catch (FormatException e)
            {
                invalid[name] = $"Subscription.{name}: {e.Message}";
            }
        }

        return new EventStreamFields { ByField = fields, Invalid = invalid };
    }

    private static string? ImportedName(Supergraph supergraph)
    {
        foreach (var schema in supergraph.Document.Definitions.OfType<GraphQLSchemaDefinition>())
        {
            foreach (var link in Supergraph.Directives(schema.Directives, "link"))
            {
                if (Supergraph.StringArg(link, "url") == SpecUrl)
                {
                    // import: ["@kafkaSubscribe"] or [{ name: "@kafkaSubscribe", as: "@other" }]
                    foreach (var import in Supergraph.Arg(link, "import") is GraphQLListValue list ? list.Values ?? [] : [])
                    {
                        switch (import)
                        {
                            case GraphQLStringValue s when s.Value.ToString() == "@kafkaSubscribe":
                                return "kafkaSubscribe";
                            case GraphQLObjectValue o when o.Field("name")?.Value is GraphQLStringValue n && n.Value.ToString() == "@kafkaSubscribe":
                                return (o.Field("as")?.Value as GraphQLStringValue)?.Value.ToString().TrimStart('@') ?? "kafkaSubscribe";
                        }
                    }

                    return "kafka__kafkaSubscribe";
                }
            }
        }

        return null;
    }

    private static EventStreamField Parse(Supergraph supergraph, GraphQLFieldDefinition field, GraphQLDirective directive)
    {
        var typeName = TypeRefs.NamedType(field.Type);
        if (!supergraph.Types.TryGetValue(typeName, out var type) || type.Kind != TypeKind.Object)
        {
            throw new FormatException($"returns {typeName}, which is not an object type; an event names one entity.");
        }

        var keys = type.Joins.Where(j => j.Key is not null).Select(j => j.Key!.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var keyField = keys.Find(k => !k.Contains(' ', StringComparison.Ordinal) && !k.Contains('{', StringComparison.Ordinal))
            ?? throw new FormatException($"{typeName} has no single-field @key to take from the event.");
        var topic = Supergraph.StringArg(directive, "topic") is { Length: > 0 } t ? t : throw new FormatException("topic is required.");
        var events = Strings(directive, "events");
        if (events.Count == 0)
        {
            throw new FormatException("events must name at least one event type.");
        }

        var keyProperty = Supergraph.StringArg(directive, "key") is { Length: > 0 } k ? k : throw new FormatException("key is required.");
        var arguments = (field.Arguments?.Items ?? []).Select(a => a.Name.StringValue).ToHashSet(StringComparer.Ordinal);
        var filters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var filter in Strings(directive, "filter"))
        {
            var parts = filter.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0 || !arguments.Contains(parts[0]))
            {
                throw new FormatException($"filter \"{filter}\" must be \"argument=property\" with an argument of the field.");
            }

            filters[parts[0]] = parts[1];
        }

        return new EventStreamField(
            field.Name.StringValue,
            typeName,
            keyField,
            topic,
            events.ToHashSet(StringComparer.Ordinal),
            keyProperty,
            filters,
            Supergraph.StringArg(directive, "owner") is { Length: > 0 } owner ? owner : null,
            Supergraph.BoolArg(directive, "current") == true);
    }

    private static List<string> Strings(GraphQLDirective directive, string name) => Supergraph.Arg(directive, name) switch
    {
        GraphQLListValue list => [.. (list.Values ?? []).OfType<GraphQLStringValue>().Select(v => v.Value.ToString())],
        GraphQLStringValue one => [one.Value.ToString()],
        _ => [],
    };
}
