using GraphQL.Types;
using GraphQLParser.AST;

namespace Federation.Gateway.Introspection;

/// <summary>The built-in scalars and directives with the descriptions graphql-js gives them (graphql-dotnet gives none or others).</summary>
internal static class SpecifiedDefinitions
{
    /// <summary>graphql-js's descriptions of introspection types, fields and enum values where graphql-dotnet words them differently.</summary>
    public static readonly IReadOnlyDictionary<string, string> MetaTypeDescriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["__Type"] = "The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.\n\n"
            + "Depending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, "
            + "description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. "
            + "Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types.",
        ["__TypeKind"] = "An enum describing what kind of type a given `__Type` is.",
        ["__TypeKind.OBJECT"] = "Indicates this type is an object. `fields` and `interfaces` are valid fields.",
        ["__TypeKind.INTERFACE"] = "Indicates this type is an interface. `fields`, `interfaces`, and `possibleTypes` are valid fields.",
        ["__DirectiveLocation.ENUM"] = "Location adjacent to an enum definition.",
        ["__DirectiveLocation.ENUM_VALUE"] = "Location adjacent to an enum value definition.",

        // graphql-js's wording, grammar included: clients and schema diffs compare descriptions verbatim.
        ["__Schema.subscriptionType"] = "If this server support subscription, the type that subscription operations will be rooted at.",
    };

    /// <summary>
    /// The specified scalars the schema uses, as new instances: graphql-dotnet shares its own (undescribed) ones
    /// process-wide. String and Boolean are always used, by introspection itself.
    /// </summary>
    public static IEnumerable<ScalarGraphType> Scalars(IReadOnlySet<string> used) =>
        new ScalarGraphType[]
        {
            new StringGraphType
            {
                Description = "The `String` scalar type represents textual data, represented as UTF-8 character sequences. "
                    + "The String type is most often used by GraphQL to represent free-form human-readable text.",
            },
            new IntGraphType
            {
                Description = "The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values between -(2^31) and 2^31 - 1.",
            },
            new FloatGraphType
            {
                Description = "The `Float` scalar type represents signed double-precision fractional values as specified by "
                    + "[IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point).",
            },
            new BooleanGraphType { Description = "The `Boolean` scalar type represents `true` or `false`." },
            new IdGraphType
            {
                Description = "The `ID` scalar type represents a unique identifier, often used to refetch an object or as key for a cache. "
                    + "The ID type appears in a JSON response as a String; however, it is not intended to be human-readable. "
                    + "When expected as an input type, any string (such as `\"4\"`) or integer (such as `4`) input value will be accepted as an ID.",
            },
        }.Where(s => s.Name is "String" or "Boolean" || used.Contains(s.Name));

    public static void Describe(IGraphType type)
    {
        if (MetaTypeDescriptions.TryGetValue(type.Name, out var description))
        {
            type.Description = description;
        }

        foreach (var (name, element) in type switch
        {
            IComplexGraphType complex => complex.Fields.Select(f => (f.Name, (IProvideDescription)f)),
            EnumerationGraphType enumeration => enumeration.Values.Select(v => (v.Name, (IProvideDescription)v)),
            _ => [],
        })
        {
            if (MetaTypeDescriptions.TryGetValue($"{type.Name}.{name}", out description))
            {
                element.Description = description;
            }
        }
    }

    public static void Describe(SchemaDirectives directives)
    {
        directives.Include.Description = "Directs the executor to include this field or fragment only when the `if` argument is true.";
        directives.Skip.Description = "Directs the executor to skip this field or fragment when the `if` argument is true.";
        directives.Deprecated.Arguments!.Find("reason")!.Description =
            "Explains why this element was deprecated, usually also including a suggestion for how to access supported similar data. "
            + "Formatted using the Markdown syntax, as specified by [CommonMark](https://commonmark.org/).";
    }
}

/// <summary><c>directive @specifiedBy(url: String!) on SCALAR</c>.</summary>
internal sealed class SpecifiedByDirective : Directive
{
    public SpecifiedByDirective()
        : base("specifiedBy", DirectiveLocation.Scalar)
    {
        Description = "Exposes a URL that specifies the behavior of this scalar.";
        Arguments = new QueryArguments(new QueryArgument<NonNullGraphType<StringGraphType>>
        {
            Name = "url",
            Description = "The URL that specifies the behavior of this scalar.",
        });
    }

    public override bool? Introspectable => true;
}

/// <summary><c>directive @oneOf on INPUT_OBJECT</c>; graphql-dotnet enforces it on input objects built with it but does not declare it.</summary>
internal sealed class OneOfDirective : Directive
{
    public OneOfDirective()
        : base("oneOf", DirectiveLocation.InputObject)
    {
        Description = "Indicates exactly one field must be supplied and this field must not be `null`.";
    }

    public override bool? Introspectable => true;
}

/// <summary>
/// A scalar the API schema declares: opaque to the gateway like any custom scalar in graphql-js, so every literal and
/// variable value passes through to the subgraph that defines its rules.
/// </summary>
internal sealed class CustomScalarGraphType : ComplexScalarGraphType
{
    public CustomScalarGraphType(GraphQLScalarTypeDefinition definition)
    {
        Name = definition.Name.StringValue;
        Description = definition.Description?.Value.ToString();
        var specifiedBy = definition.Directives?.Items.Find(d => d.Name.StringValue == "specifiedBy");
        SpecifiedByUrl = (specifiedBy?.Arguments?.Items.Find(a => a.Name.StringValue == "url")?.Value as GraphQLStringValue)?.Value.ToString();
    }

    public string? SpecifiedByUrl { get; }
}
