using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Federation.Gateway.Planning;
using GraphQLParser;
using GraphQLParser.AST;

namespace Federation.Gateway.Subscriptions;

/// <summary>
/// Feeds a subscription on an <see cref="EventStreamField"/>: each event's key becomes the answer the plan's root fetch
/// would have had from the events subgraph (<c>__typename</c> and the key field under the root field's response key), so
/// the rest of the plan fetches the subscriber's selection from the subgraphs that own it.
/// </summary>
public sealed class EventSubscriptionSource(IEventStreams streams, EventSubscription subscription, string responseKey, IReadOnlyList<(string ResponseKey, string Field)> stub)
    : ISubscriptionSource
{
    public string Name => "kafka:" + subscription.Field.Topic;

    public async IAsyncEnumerable<SourceEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in streams.SubscribeAsync(subscription, cancellationToken))
        {
            var entity = new JsonObject();
            foreach (var (key, field) in stub)
            {
                entity[key] = field == "__typename" ? subscription.Field.TypeName : item.Key;
            }

            var answer = new JsonObject { ["data"] = new JsonObject { [responseKey] = entity } };
            var refusal = item.Current
                ? $"{subscription.Field.TypeName} {item.Key} does not exist or the caller may not read it; Subscription.{subscription.Field.FieldName} has ended."
                : null;
            yield return new SourceEvent(answer, new JsonObject { ["cursor"] = item.Cursor.Encode() }, refusal, item.Id, item.PublishedAt);
        }
    }

    /// <summary>
    /// The subscription <paramref name="root"/> opens on <paramref name="field"/>, its arguments read from the root fetch
    /// and its <paramref name="variables"/>; null with <paramref name="error"/> when the request cannot be served.
    /// </summary>
    public static EventSubscription? Subscription(
        EventStreamField field, FetchNode root, JsonObject? variables, string? caller, string? cursor, int bufferSize, out string responseKey, out List<(string, string)> stub, out (string Message, string Code)? error)
    {
        responseKey = field.FieldName;
        stub = [];
        error = null;
        var operation = Parser.Parse(root.Operation).Definitions.OfType<GraphQLOperationDefinition>().First();
        var rootField = operation.SelectionSet.Selections.OfType<GraphQLField>().First();
        responseKey = (rootField.Alias?.Name ?? rootField.Name).StringValue;
        foreach (var selection in rootField.SelectionSet?.Selections.OfType<GraphQLField>() ?? [])
        {
            stub.Add(((selection.Alias?.Name ?? selection.Name).StringValue, selection.Name.StringValue));
        }

        if (stub.Exists(s => s.Item2 != "__typename" && s.Item2 != field.KeyField))
        {
            error = ($"Subscription.{field.FieldName} can only select {field.KeyField} from the events subgraph.", "INTERNAL_SERVER_ERROR");
            return null;
        }

        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var argument in rootField.Arguments?.Items ?? [])
        {
            if (field.Filters.TryGetValue(argument.Name.StringValue, out var property) && Text(argument.Value, variables) is { } value)
            {
                arguments[property] = value;
            }
        }

        if (field.Owner is not null && caller is null)
        {
            error = ($"Subscription.{field.FieldName} shows the caller's own events; sign in.", "UNAUTHENTICATED");
            return null;
        }

        EventCursor? after = null;
        if (cursor is not null)
        {
            after = EventCursor.Decode(cursor);
            if (after is null || after.Topic != field.Topic)
            {
                error = ($"extensions.cursor is not a cursor of Subscription.{field.FieldName}; pass the extensions.cursor of one of its events.", "BAD_CURSOR");
                return null;
            }
        }

        var currentKey = field.Current && after is null && field.KeyArgument is not null && arguments.TryGetValue(field.KeyProperty, out var key) ? key : null;
        return new EventSubscription(field, arguments, field.Owner is null ? null : caller, currentKey, after, bufferSize);
    }

    private static string? Text(GraphQLValue value, JsonObject? variables) => value switch
    {
        GraphQLVariable variable => variables?[variable.Name.StringValue] is JsonValue v ? v.ToString() : null,
        GraphQLStringValue s => s.Value.ToString(),
        GraphQLIntValue i => i.Value.ToString(),
        _ => null,
    };
}
