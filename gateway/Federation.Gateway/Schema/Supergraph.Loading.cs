using Federation.Gateway.Authorization;
using GraphQLParser.AST;

namespace Federation.Gateway.Schema;

public sealed partial class Supergraph
{
    // Names of the authorization directives as the supergraph's @link imports them (an "as:" renames them).
    private string? _authenticated;
    private string? _requiresScopes;

    private void Load()
    {
        ReadSecurityLinks();
        foreach (var scalar in new[] { "String", "Int", "Float", "Boolean", "ID" })
        {
            Types[scalar] = new TypeDef(scalar, TypeKind.Scalar);
        }

        foreach (var definition in Document.Definitions)
        {
            switch (definition)
            {
                case GraphQLSchemaDefinition schema:
                    foreach (var op in schema.OperationTypes)
                    {
                        var name = op.Type!.Name.StringValue;
                        switch (op.Operation)
                        {
                            case OperationType.Query: QueryType = name; break;
                            case OperationType.Mutation: MutationType = name; break;
                            case OperationType.Subscription: SubscriptionType = name; break;
                        }
                    }

                    break;
                case GraphQLEnumTypeDefinition e when e.Name.StringValue == "join__Graph":
                    foreach (var value in e.Values?.Items ?? [])
                    {
                        var graph = Directive(value.Directives, "join__graph");
                        var enumValue = value.Name.StringValue;
                        Subgraphs[enumValue] = new SubgraphInfo(
                            enumValue,
                            StringArg(graph, "name") ?? enumValue.ToLowerInvariant(),
                            StringArg(graph, "url") ?? string.Empty);
                    }

                    break;
                case GraphQLTypeDefinition type:
                    LoadType(type);
                    break;
            }
        }

        if (MutationType is null && Types.ContainsKey("Mutation") && !HasSchemaDefinition())
        {
            MutationType = "Mutation";
        }

        if (SubscriptionType is null && Types.ContainsKey("Subscription") && !HasSchemaDefinition())
        {
            SubscriptionType = "Subscription";
        }
    }

    private bool HasSchemaDefinition() => Document.Definitions.Exists(d => d is GraphQLSchemaDefinition s && s.OperationTypes.Count > 0);

    private void LoadType(GraphQLTypeDefinition definition)
    {
        var name = definition.Name.StringValue;
        if (IsMachinery(name))
        {
            return;
        }

        var kind = definition switch
        {
            GraphQLObjectTypeDefinition => TypeKind.Object,
            GraphQLInterfaceTypeDefinition => TypeKind.Interface,
            GraphQLUnionTypeDefinition => TypeKind.Union,
            GraphQLEnumTypeDefinition => TypeKind.Enum,
            GraphQLInputObjectTypeDefinition => TypeKind.InputObject,
            _ => TypeKind.Scalar,
        };
        var directives = (definition as IHasDirectivesNode)?.Directives;
        var type = new TypeDef(name, kind) { Inaccessible = HasDirective(directives, "inaccessible"), Access = ReadAccess(directives) };
        Types[name] = type;

        foreach (var join in Directives(directives, "join__type"))
        {
            type.Joins.Add(new JoinType(
                EnumArg(join, "graph")!,
                StringArg(join, "key"),
                BoolArg(join, "extension") ?? false,
                BoolArg(join, "resolvable") ?? true,
                BoolArg(join, "isInterfaceObject") ?? false));
        }

        foreach (var join in Directives(directives, "join__implements"))
        {
            type.JoinImplements.Add((EnumArg(join, "graph")!, StringArg(join, "interface")!));
        }

        foreach (var join in Directives(directives, "join__unionMember"))
        {
            type.JoinUnionMembers.Add((EnumArg(join, "graph")!, StringArg(join, "member")!));
        }

        switch (definition)
        {
            case GraphQLObjectTypeDefinition o:
                type.Interfaces.AddRange(o.Interfaces?.Items.Select(i => i.Name.StringValue) ?? []);
                LoadFields(type, o.Fields);
                break;
            case GraphQLInterfaceTypeDefinition i:
                type.Interfaces.AddRange(i.Interfaces?.Items.Select(x => x.Name.StringValue) ?? []);
                LoadFields(type, i.Fields);
                break;
            case GraphQLUnionTypeDefinition u:
                type.UnionMembers.AddRange(u.Types?.Items.Select(t => t.Name.StringValue) ?? []);
                break;
            case GraphQLEnumTypeDefinition e:
                foreach (var value in e.Values?.Items.Where(v => HasDirective(v.Directives, "inaccessible")) ?? [])
                {
                    type.HiddenEnumValues.Add(value.Name.StringValue);
                }

                break;
        }
    }

    private void LoadFields(TypeDef type, GraphQLFieldsDefinition? fields)
    {
        foreach (var field in fields?.Items ?? [])
        {
            var def = new FieldDef(field.Name.StringValue, field.Type)
            {
                Inaccessible = HasDirective(field.Directives, "inaccessible"),
                Access = ReadAccess(field.Directives),
            };
            foreach (var join in Directives(field.Directives, "join__field"))
            {
                def.Joins.Add(new JoinField(
                    EnumArg(join, "graph"),
                    StringArg(join, "requires"),
                    StringArg(join, "provides"),
                    StringArg(join, "type"),
                    BoolArg(join, "external") ?? false,
                    StringArg(join, "override"),
                    BoolArg(join, "usedOverridden") ?? false));
            }

            type.Fields[def.Name] = def;
        }
    }

    internal static bool IsMachinery(string typeName) =>
        typeName.StartsWith("join__", StringComparison.Ordinal) || typeName.StartsWith("link__", StringComparison.Ordinal)
        || typeName.StartsWith("requiresScopes__", StringComparison.Ordinal) || typeName.StartsWith("policy__", StringComparison.Ordinal);

    /// <summary>The authorization specs are only in force when the supergraph links them (composition adds the links).</summary>
    private void ReadSecurityLinks()
    {
        foreach (var schema in Document.Definitions.OfType<GraphQLSchemaDefinition>())
        {
            foreach (var link in Directives(schema.Directives, "link"))
            {
                var url = StringArg(link, "url") ?? string.Empty;
                if (url.StartsWith("https://specs.apollo.dev/authenticated/", StringComparison.Ordinal))
                {
                    _authenticated = StringArg(link, "as") ?? "authenticated";
                }
                else if (url.StartsWith("https://specs.apollo.dev/requiresScopes/", StringComparison.Ordinal))
                {
                    _requiresScopes = StringArg(link, "as") ?? "requiresScopes";
                }
            }
        }
    }

    private AccessRequirement ReadAccess(GraphQLDirectives? directives)
    {
        var authenticated = _authenticated is not null && HasDirective(directives, _authenticated);
        List<IReadOnlyList<IReadOnlyList<string>>> scopes = [];
        if (_requiresScopes is not null)
        {
            foreach (var directive in Directives(directives, _requiresScopes))
            {
                // Input coercion of [[Scope!]!]!: a single value stands for a list of one, at either level.
                scopes.Add([.. Items(Arg(directive, "scopes")).Select(set => (IReadOnlyList<string>)[.. Items(set).OfType<GraphQLStringValue>().Select(v => v.Value.ToString())])]);
            }
        }

        return authenticated || scopes.Count > 0 ? new AccessRequirement(authenticated, scopes) : AccessRequirement.None;

        static IEnumerable<GraphQLValue> Items(GraphQLValue? value) => value switch
        {
            null => [],
            GraphQLListValue list => list.Values ?? [],
            _ => [value],
        };
    }

    internal static bool HasDirective(GraphQLDirectives? directives, string name) => Directive(directives, name) is not null;

    internal static GraphQLDirective? Directive(GraphQLDirectives? directives, string name) =>
        directives?.Items.Find(d => d.Name.StringValue == name);

    internal static IEnumerable<GraphQLDirective> Directives(GraphQLDirectives? directives, string name) =>
        directives?.Items.Where(d => d.Name.StringValue == name) ?? [];

    internal static GraphQLValue? Arg(GraphQLDirective? directive, string name) =>
        directive?.Arguments?.Items.Find(a => a.Name.StringValue == name)?.Value;

    internal static string? StringArg(GraphQLDirective? directive, string name) =>
        Arg(directive, name) is GraphQLStringValue s ? s.Value.ToString() : null;

    private static string? EnumArg(GraphQLDirective? directive, string name) =>
        Arg(directive, name) is GraphQLEnumValue e ? e.Name.StringValue : null;

    internal static bool? BoolArg(GraphQLDirective? directive, string name) =>
        Arg(directive, name) is GraphQLBooleanValue b ? b.BoolValue : null;
}
