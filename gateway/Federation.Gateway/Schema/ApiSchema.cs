using Federation.Gateway.Introspection;
using GraphQL.Types;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Visitors;

namespace Federation.Gateway.Schema;

/// <summary>The client-facing schema: the supergraph without join/link machinery and without <c>@inaccessible</c> elements.</summary>
public sealed class ApiSchema
{
    private static readonly HashSet<string> KeptDirectives = ["deprecated", "specifiedBy", "oneOf"];

    private ApiSchema(string sdl, ISchema schema)
    {
        Sdl = sdl;
        Schema = schema;
    }

    public string Sdl { get; }

    /// <summary>A graphql-dotnet schema used for validation, variable coercion and introspection only; it resolves nothing.</summary>
    public ISchema Schema { get; }

    public static ApiSchema Create(Supergraph supergraph)
    {
        // Parse again: the API document is a pruned copy and the supergraph AST must stay intact.
        var document = Parser.Parse(supergraph.Sdl, new ParserOptions { Ignore = IgnoreOptions.Comments });
        bool Hidden(string typeName) => supergraph.Types.TryGetValue(typeName, out var t) && t.Inaccessible;

        document.Definitions.RemoveAll(d => d switch
        {
            GraphQLDirectiveDefinition => true,
            GraphQLTypeDefinition t => Supergraph.IsMachinery(t.Name.StringValue) || Hidden(t.Name.StringValue),
            _ => false,
        });

        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLSchemaDefinition s:
                    s.Directives = null;
                    s.OperationTypes.RemoveAll(o => Hidden(o.Type!.Name.StringValue));
                    break;
                case GraphQLObjectTypeDefinition o:
                    o.Directives = Keep(o.Directives);
                    o.Interfaces?.Items.RemoveAll(i => Hidden(i.Name.StringValue));
                    if (o.Interfaces?.Items.Count == 0)
                    {
                        o.Interfaces = null;
                    }

                    PruneFields(o.Fields, Hidden);
                    break;
                case GraphQLInterfaceTypeDefinition i:
                    i.Directives = Keep(i.Directives);
                    i.Interfaces?.Items.RemoveAll(x => Hidden(x.Name.StringValue));
                    if (i.Interfaces?.Items.Count == 0)
                    {
                        i.Interfaces = null;
                    }

                    PruneFields(i.Fields, Hidden);
                    break;
                case GraphQLUnionTypeDefinition u:
                    u.Directives = Keep(u.Directives);
                    u.Types?.Items.RemoveAll(t => Hidden(t.Name.StringValue));
                    break;
                case GraphQLEnumTypeDefinition e:
                    e.Directives = Keep(e.Directives);
                    e.Values?.Items.RemoveAll(v => Supergraph.HasDirective(v.Directives, "inaccessible"));
                    foreach (var value in e.Values?.Items ?? [])
                    {
                        value.Directives = Keep(value.Directives);
                    }

                    break;
                case GraphQLInputObjectTypeDefinition input:
                    input.Directives = Keep(input.Directives);
                    input.Fields?.Items.RemoveAll(f => Supergraph.HasDirective(f.Directives, "inaccessible") || Hidden(TypeRefs.NamedType(f.Type)));
                    foreach (var field in input.Fields?.Items ?? [])
                    {
                        field.Directives = Keep(field.Directives);
                    }

                    break;
                case GraphQLScalarTypeDefinition scalar:
                    scalar.Directives = Keep(scalar.Directives);
                    break;
            }
        }

        // A described schema keeps its definition, even a default one, so that the description reaches introspection.
        document.Definitions.RemoveAll(d => d is GraphQLSchemaDefinition s && s.Description is null && IsDefaultSchema(s));
        var sdl = new SDLPrinter().Print(document);
        var abstractTypes = supergraph.Types.Values.Where(t => t.IsAbstract && !t.Inaccessible).Select(t => t.Name);
        var schema = IntrospectionSchema.Create(sdl, document, abstractTypes);
        return new ApiSchema(sdl, schema);
    }

    private static bool IsDefaultSchema(GraphQLSchemaDefinition schema) =>
        schema.OperationTypes.TrueForAll(o => o.Type!.Name.StringValue == o.Operation switch
        {
            OperationType.Query => "Query",
            OperationType.Mutation => "Mutation",
            _ => "Subscription",
        });

    private static void PruneFields(GraphQLFieldsDefinition? fields, Func<string, bool> hidden)
    {
        if (fields is null)
        {
            return;
        }

        fields.Items.RemoveAll(f => Supergraph.HasDirective(f.Directives, "inaccessible") || hidden(TypeRefs.NamedType(f.Type)));
        foreach (var field in fields.Items)
        {
            field.Directives = Keep(field.Directives);
            if (field.Arguments is null)
            {
                continue;
            }

            field.Arguments.Items.RemoveAll(a => Supergraph.HasDirective(a.Directives, "inaccessible"));
            foreach (var argument in field.Arguments.Items)
            {
                argument.Directives = Keep(argument.Directives);
            }

            if (field.Arguments.Items.Count == 0)
            {
                field.Arguments = null;
            }
        }
    }

    private static GraphQLDirectives? Keep(GraphQLDirectives? directives)
    {
        if (directives is null)
        {
            return null;
        }

        directives.Items.RemoveAll(d => !KeptDirectives.Contains(d.Name.StringValue));
        return directives.Items.Count == 0 ? null : directives;
    }
}
