using System.Globalization;
using System.Text.Json.Nodes;
using GraphQLParser.AST;

namespace Federation.Gateway.Tests.Fuzzing;

/// <summary>
/// Random queries over an API schema: fields with arguments (ids harvested from the running subgraphs), aliases,
/// variables of every input kind with and without defaults, @skip/@include with literals and variables, named and
/// inline fragments (typed and untyped, on abstract types too), nested up to <see cref="MaxDepth"/>. A small share of
/// argument and variable values is deliberately out of range or of the wrong kind: both gateways must then fail alike.
/// </summary>
internal sealed class OperationGenerator(FuzzSchema schema, HarvestedValues harvested, IReadOnlySet<string> excludedRootFields, Random random)
{
    public const int MaxDepth = 5;

    private static readonly string[] Words = ["a", "e", "o", "lamp", "chair", "desk", "1", "zz", "Table"];

    private readonly List<FuzzVariable> _variables = [];
    private readonly List<FuzzFragment> _fragments = [];
    private int _aliases;

    public FuzzOperation Generate()
    {
        var selections = Selections(schema.Query, 0, root: true);
        return new FuzzOperation
        {
            Name = Chance(0.3) ? "Op" + random.Next(100) : null,
            Selections = selections,
            Fragments = _fragments,
            Variables = _variables,
        };
    }

    private bool Chance(double p) => random.NextDouble() < p;

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private List<FuzzSelection> Selections(FuzzType type, int depth, bool root = false)
    {
        var selections = type.IsAbstract ? AbstractSelections(type, depth) : ObjectSelections(type, depth, root);
        if (selections.Count == 0 || Chance(0.1))
        {
            selections.Insert(random.Next(selections.Count + 1), new FuzzFieldSelection("__typename") { Alias = Chance(0.2) ? NextAlias() : null });
        }

        // Part of the selection moves into a fragment: named, typed inline, or untyped inline (which may carry a directive).
        if (selections.Count > 1 && Chance(0.3))
        {
            var moved = selections.Where(_ => Chance(0.5)).ToList();
            if (moved.Count > 0)
            {
                selections.RemoveAll(moved.Contains);
                selections.Insert(random.Next(selections.Count + 1), Fragment(type, moved));
            }
        }

        return selections;
    }

    private FuzzSelection Fragment(FuzzType type, List<FuzzSelection> children)
    {
        FuzzSelection fragment = random.Next(3) switch
        {
            0 => NamedFragment(type.Name, children),
            1 => new FuzzInlineFragment(type.Name) { Children = children },
            _ => new FuzzInlineFragment(null) { Children = children },
        };
        fragment.Condition = Condition();
        return fragment;
    }

    private FuzzSpread NamedFragment(string typeCondition, List<FuzzSelection> children)
    {
        var name = "F" + _fragments.Count;
        _fragments.Add(new FuzzFragment(name, typeCondition, children));
        return new FuzzSpread(name);
    }

    private List<FuzzSelection> AbstractSelections(FuzzType type, int depth)
    {
        var selections = new List<FuzzSelection>();
        if (type.Kind == FuzzKind.Interface && type.Fields.Count > 0)
        {
            selections.AddRange(ObjectSelections(type, depth, root: false));
        }

        // Every possible type may get a fragment; some stay without one, so their objects answer {} or only __typename.
        foreach (var possible in type.PossibleTypes.Where(_ => Chance(0.6)))
        {
            var children = ObjectSelections(schema.Type(possible), depth, root: false);
            if (children.Count == 0)
            {
                continue;
            }

            FuzzSelection fragment = Chance(0.3) ? NamedFragment(possible, children) : new FuzzInlineFragment(possible) { Children = children };
            fragment.Condition = Condition();
            selections.Add(fragment);
        }

        return selections;
    }

    private List<FuzzSelection> ObjectSelections(FuzzType type, int depth, bool root)
    {
        var candidates = type.Fields
            .Where(f => !(root && excludedRootFields.Contains(f.Name)))
            .Where(f => depth < MaxDepth - 1 || !schema.Type(f.NamedType).IsComposite)
            .ToList();
        var count = Math.Min(candidates.Count, root ? random.Next(1, 3) : random.Next(1, 5));
        var selections = new List<FuzzSelection>();
        foreach (var field in candidates.OrderBy(_ => random.Next()).Take(count))
        {
            var selection = new FuzzFieldSelection(field.Name)
            {
                Arguments = [.. Arguments(field)],
                Children = schema.Type(field.NamedType).IsComposite ? Selections(schema.Type(field.NamedType), depth + 1) : null,
            };

            // Fields with arguments get a unique alias in most cases, so fragments merging the same field stay valid.
            selection.Alias = (selection.Arguments.Count > 0 && Chance(0.5)) || Chance(0.1) ? NextAlias() : null;
            selection.Condition = Condition();
            selections.Add(selection);
        }

        return selections;
    }

    private string NextAlias() => "a" + _aliases++;

    private FuzzCondition? Condition()
    {
        if (!Chance(0.15))
        {
            return null;
        }

        var skip = Chance(0.5);
        if (Chance(0.4))
        {
            return new FuzzCondition(skip, FuzzValue.Of(Chance(0.5) ? "true" : "false"));
        }

        var value = Chance(0.5);
        var name = "c" + _variables.Count;
        _variables.Add(random.Next(3) switch
        {
            0 => new FuzzVariable(name, "Boolean!", value, true, null),
            // A nullable variable may stand where Boolean! is expected only with a default (AllVariableUsagesAreAllowed).
            1 => new FuzzVariable(name, "Boolean", value, true, Chance(0.5) ? "true" : "false"),
            _ => new FuzzVariable(name, "Boolean", null, false, value ? "true" : "false"),
        });
        return new FuzzCondition(skip, FuzzValue.Var(name));
    }

    private IEnumerable<(string, FuzzValue)> Arguments(FuzzField field)
    {
        foreach (var argument in field.Arguments)
        {
            var required = argument.Type is GraphQLNonNullType && !argument.HasDefault;
            if (!required && !Chance(0.4))
            {
                continue;
            }

            var value = Value(argument.Name, argument.Type, field.NamedType, nullable: !required);
            if (!Chance(0.3))
            {
                yield return (argument.Name, FuzzValue.Of(Literal(value, argument.Type)));
                continue;
            }

            var name = "v" + _variables.Count;
            var type = FuzzSchema.Print(argument.Type);
            if (Chance(0.03))
            {
                // Wrong kind of value for the variable: a request error, no data, from both gateways.
                var wrong = FuzzSchema.NamedType(argument.Type) is "String" or "ID" ? (JsonNode)12.5 : "NOT_A_VALUE";
                _variables.Add(new FuzzVariable(name, type, wrong, true, null));
            }
            else if (argument.Type is not GraphQLNonNullType && value is not null && Chance(0.25))
            {
                _variables.Add(new FuzzVariable(name, type, null, false, Literal(value, argument.Type)));
            }
            else
            {
                _variables.Add(new FuzzVariable(name, type, value, true, null));
            }

            yield return (argument.Name, FuzzValue.Var(name));
        }
    }

    private JsonNode? Value(string name, GraphQLType type, string owner, bool nullable)
    {
        if (type is GraphQLNonNullType nonNull)
        {
            return Value(name, nonNull.Type, owner, nullable: false);
        }

        if (nullable && Chance(0.05))
        {
            return null;
        }

        if (type is GraphQLListType list)
        {
            return new JsonArray([.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => Value(name, list.Type, owner, nullable: false))]);
        }

        var named = schema.Type(FuzzSchema.NamedType(type));
        switch (named.Kind)
        {
            case FuzzKind.Enum:
                return Pick(named.EnumValues);
            case FuzzKind.Input:
                var obj = new JsonObject();
                foreach (var field in named.InputFields)
                {
                    var required = field.Type is GraphQLNonNullType && !field.HasDefault;
                    if (required || Chance(0.4))
                    {
                        obj[field.Name] = Value(field.Name, field.Type, owner, nullable: !required);
                    }
                }

                return obj;
        }

        var invalid = Chance(0.03);
        return named.Name switch
        {
            "Int" when invalid => Pick([-1, 101, 2_000_000]),
            "Int" => random.Next(0, 5),
            "Float" => Math.Round(random.NextDouble() * 400, 2),
            "Boolean" => Chance(0.5),
            "ID" or "String" when harvested.For(name, owner) is { Count: > 0 } known => invalid ? "999999" : Pick(known),
            "ID" => invalid ? "not-an-id" : random.Next(1, 40).ToString(CultureInfo.InvariantCulture),
            "String" when name is "after" or "before" => invalid || !harvested.Cursors(owner).Any() ? "bogus" : Pick(harvested.Cursors(owner)),
            "String" => Pick(Words),
            _ => "2026-01-01T00:00:00Z",
        };
    }

    private string Literal(JsonNode? value, GraphQLType type)
    {
        switch (value)
        {
            case null:
                return "null";
            case JsonArray items:
                var itemType = type is GraphQLNonNullType n ? n.Type : type;
                var inner = itemType is GraphQLListType l ? l.Type : itemType;
                return "[" + string.Join(", ", items.Select(i => Literal(i, inner))) + "]";
            case JsonObject obj:
                var input = schema.Type(FuzzSchema.NamedType(type));
                return "{" + string.Join(", ", obj.Select(p => p.Key + ": " + Literal(p.Value, input.InputFields.First(f => f.Name == p.Key).Type))) + "}";
        }

        return schema.Type(FuzzSchema.NamedType(type)).Kind == FuzzKind.Enum ? value.GetValue<string>() : value.ToJsonString();
    }
}
