using System.Net.Http.Headers;
using System.Text;
using Federation.Subgraph.GraphQL;
using Federation.Testing.Security;
using GraphQL;
using GraphQL.Types;
using GraphQLParser;
using GraphQLParser.AST;

namespace Subgraph.Tests;

/// <summary>The <c>Cache-Control</c> policy the kit computes from the types' and fields' cache hints.</summary>
public sealed class CacheControlTests
{
    private static readonly ISchema Schema = BuildSchema();

    [Theory]
    [InlineData("{ product(id: 1) { id name } }", "max-age=300, public")]
    [InlineData("{ product(id: 1) { id stock { available } } }", "max-age=60, public")]
    [InlineData("{ product(id: 1) { id rating } }", "max-age=10, public")]
    [InlineData("{ product(id: 1) { id owner { email } } }", "max-age=30, private")]
    [InlineData("{ product(id: 1) { id cost } }", "max-age=300, private")]
    [InlineData("{ product(id: 1) { id supplier { name } } }", "no-store")]
    [InlineData("{ products { totalCount nodes { id name } pageInfo { hasNextPage } } }", "max-age=20, public")]
    [InlineData("{ products { edges { node { stock { available } } } } }", "max-age=20, public")]
    [InlineData("{ banner }", "no-store")]
    [InlineData("{ __typename }", "no-store")]
    [InlineData("{ __schema { queryType { name } } }", "no-store")]
    [InlineData("{ product(id: 1) { ...Card } } fragment Card on Product { id stock { onHand } }", "max-age=60, public")]
    [InlineData("mutation { product(id: 1) { id } }", "no-store")]
    [InlineData("query ($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id name } } }", "max-age=300, public")]
    [InlineData("query ($r: [_Any!]!) { _entities(representations: $r) { ... on Product { stock { onHand } } ... on Account { email } } }", "max-age=30, private")]
    [InlineData("query ($r: [_Any!]!) { _entities(representations: $r) { ... on Supplier { name } } }", "no-store")]
    [InlineData("query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Product { id } } }", "max-age=300, public")]
    public void Policy_Should_BeTheMostRestrictiveHint_When_TheOperationSelectsTheFields(string query, string expected)
    {
        // arrange
        var (document, operation) = Parse(query);

        // act
        var header = ResponseCachePolicy.Of(Schema, document, operation).ToHeader();

        // assert
        Assert.Equal(expected, header);
    }

    [Theory]
    [InlineData("""{"query":"{ shelf { label } }"}""", "max-age=120, public")]
    [InlineData("""{"query":"{ shelf { label keeper } }"}""", "max-age=120, private")]
    [InlineData("""{"query":"{ shelf { label broken } }"}""", "no-store")]
    [InlineData("""{"query":"{ caller }"}""", "no-store")]
    [InlineData("""{"query":"{ shelf { nope } }"}""", "no-store")]
    public async Task Endpoint_Should_AnswerWithTheOperationsCacheControl_When_ItExecutesAQuery(string body, string expected)
    {
        // arrange
        await using var subgraph = await KitSubgraph.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestInternalTokens.Mint(KitSubgraph.Name, "7", "shopper"));

        // act
        using var response = await subgraph.Http.SendAsync(request);

        // assert
        Assert.Equal(expected, response.Headers.NonValidated["Cache-Control"].ToString());
    }

    private static (GraphQLDocument Document, GraphQLOperationDefinition Operation) Parse(string query)
    {
        var document = Parser.Parse(query);
        return (document, document.Definitions.OfType<GraphQLOperationDefinition>().Single());
    }

    private static Schema BuildSchema()
    {
        var account = new ObjectGraphType { Name = "Account" };
        account.CacheControl(maxAge: 30, scope: CacheScope.Private);
        account.Field<StringGraphType>("email");

        var supplier = new ObjectGraphType { Name = "Supplier" };
        supplier.Field<StringGraphType>("name");

        var stock = new ObjectGraphType { Name = "Stock" };
        stock.CacheControl(maxAge: 60);
        stock.Field<IntGraphType>("available");
        stock.Field<IntGraphType>("onHand");

        var product = new ObjectGraphType { Name = "Product" };
        product.CacheControl(maxAge: 300);
        product.Field<IdGraphType>("id");
        product.Field<StringGraphType>("name");
        product.Field<FloatGraphType>("rating").CacheControl(maxAge: 10);
        product.Field<FloatGraphType>("cost").ApplyDirective("requiresScopes");
        product.Field("stock", stock);
        product.Field("owner", account);
        product.Field("supplier", supplier);

        var edge = new ObjectGraphType { Name = "ProductEdge" };
        edge.CacheControl(inheritMaxAge: true);
        edge.Field("node", product);
        var connection = new ObjectGraphType { Name = "ProductConnection" };
        connection.CacheControl(inheritMaxAge: true);
        connection.Field("edges", new ListGraphType(edge));
        connection.Field("nodes", new ListGraphType(product));
        connection.Field<IntGraphType>("totalCount");
        var pageInfo = new ObjectGraphType { Name = "PageInfo" };
        pageInfo.CacheControl(inheritMaxAge: true);
        pageInfo.Field<BooleanGraphType>("hasNextPage");
        connection.Field("pageInfo", pageInfo);

        var query = new ObjectGraphType { Name = "Query" };
        query.Field("product", product).Argument<IdGraphType>("id");
        query.Field("products", connection).CacheControl(maxAge: 20);
        query.Field<StringGraphType>("banner");
        var mutation = new ObjectGraphType { Name = "Mutation" };
        mutation.Field("product", product).Argument<IdGraphType>("id");

        var schema = new Schema { Query = query, Mutation = mutation };
        schema.Directives.Register(new Directive("requiresScopes", GraphQLParser.AST.DirectiveLocation.FieldDefinition));
        schema.RegisterType(supplier);
        schema.Initialize();
        return schema;
    }
}
