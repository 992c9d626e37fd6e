using Federation.Gateway.Tests.Fixtures;
using Federation.Gateway.Schema;
using GraphQLParser;
using GraphQLParser.AST;

namespace Federation.Gateway.Tests.Schema;

/// <summary>The gateway's API schema for the project's composed supergraph must equal the one composition published.</summary>
public sealed class RepositorySupergraphTests
{
    [Fact]
    public void ApiSchema_Should_MatchComposedApiSchema_When_LoadingRepositorySupergraph()
    {
        // arrange
        var schemaDirectory = Path.Combine(Repository.Root, "schema");
        var supergraph = Supergraph.Parse(File.ReadAllText(Path.Combine(schemaDirectory, "supergraph.graphql")));
        var published = File.ReadAllText(Path.Combine(schemaDirectory, "api.graphql"));

        // act
        var ours = Signature(supergraph.Api.Sdl);
        var theirs = Signature(published);

        // assert
        Assert.Equal(theirs.Except(ours).Order(), Array.Empty<string>());
        Assert.Equal(ours.Except(theirs).Order(), Array.Empty<string>());
    }

    /// <summary>One line per type, field, argument, member and value; descriptions and order do not matter.</summary>
    private static HashSet<string> Signature(string sdl)
    {
        var lines = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in Parser.Parse(sdl).Definitions)
        {
            switch (definition)
            {
                case GraphQLObjectTypeDefinition o:
                    lines.Add($"type {o.Name.StringValue} implements {string.Join("&", (o.Interfaces?.Items ?? []).Select(i => i.Name.StringValue).Order())}");
                    AddFields(lines, o.Name.StringValue, o.Fields);
                    break;
                case GraphQLInterfaceTypeDefinition i:
                    lines.Add($"interface {i.Name.StringValue}");
                    AddFields(lines, i.Name.StringValue, i.Fields);
                    break;
                case GraphQLUnionTypeDefinition u:
                    lines.UnionWith(u.Types?.Items.Select(t => $"union {u.Name.StringValue} = {t.Name.StringValue}") ?? []);
                    break;
                case GraphQLEnumTypeDefinition e:
                    lines.UnionWith(e.Values?.Items.Select(v => $"enum {e.Name.StringValue}.{v.Name.StringValue}") ?? []);
                    break;
                case GraphQLInputObjectTypeDefinition input:
                    lines.UnionWith(input.Fields?.Items.Select(f => $"input {input.Name.StringValue}.{f.Name.StringValue}: {TypeRefs.Print(f.Type)}") ?? []);
                    break;
                case GraphQLScalarTypeDefinition scalar:
                    lines.Add($"scalar {scalar.Name.StringValue}");
                    break;
            }
        }

        return lines;
    }

    private static void AddFields(HashSet<string> lines, string type, GraphQLFieldsDefinition? fields)
    {
        foreach (var field in fields?.Items ?? [])
        {
            var arguments = string.Join(", ", (field.Arguments?.Items ?? []).Select(a => $"{a.Name.StringValue}: {TypeRefs.Print(a.Type)}").Order());
            lines.Add($"{type}.{field.Name.StringValue}({arguments}): {TypeRefs.Print(field.Type)}");
        }
    }
}
