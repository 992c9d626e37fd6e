using Federation.Testing.Security;

namespace Catalog.Tests;

[Collection(CatalogCollection.Name)]
public sealed class ProductMutationTests(CatalogFixture fixture)
{
    private const string Create = """
        mutation Create($input: CreateProductInput!) {
          createProduct(input: $input) { product { id name description price category { id } inStock } errors { code message field } }
        }
        """;

    private const string Update = """
        mutation Update($input: UpdateProductInput!) {
          updateProduct(input: $input) { product { id name description price category { id } } errors { code message field } }
        }
        """;

    [Fact]
    public async Task CreateProduct_Should_ReturnEveryValidationError_When_InputInvalid()
    {
        // arrange
        var name = new string('x', 201);
        var input = new { name, description = "zz-invalid", price = -3.5, categoryId = "99" };

        // act
        var data = await fixture.Catalog.DataAsync(TestCaller.Admin, Create, new { input });

        // assert
        data.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }).MatchSnapshot();
        var search = await fixture.DataAsync("""{ products(filter: { search: "zz-invalid" }) { totalCount } }""");
        Assert.Equal(0, search["products"]!["totalCount"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1_000_000.01)]
    [InlineData(9.999)]
    public async Task CreateProduct_Should_RejectPrice_When_OutOfRangeOrTooPrecise(double price)
    {
        // act
        var data = await fixture.Catalog.DataAsync(TestCaller.Admin, Create, new { input = new { name = "zz-price", description = "", price, categoryId = "1" } });

        // assert
        var error = Assert.Single(data["createProduct"]!["errors"]!.AsArray());
        Assert.Equal("VALIDATION", error!["code"]!.GetValue<string>());
        Assert.Equal(["input", "price"], error["field"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Null(data["createProduct"]!["product"]);
    }

    [Fact]
    public async Task CreateProduct_Should_PersistProduct_When_InputValid()
    {
        // arrange
        var name = $"zz-created {Guid.NewGuid():N}";

        // act
        var created = await fixture.Catalog.DataAsync(TestCaller.Admin, Create, new { input = new { name, description = "A test product.", price = 19.99, categoryId = "2" } });

        // assert
        Assert.Empty(created["createProduct"]!["errors"]!.AsArray());
        var id = created["createProduct"]!["product"]!["id"]!.GetValue<string>();
        var read = await fixture.DataAsync("query($id: ID!) { product(id: $id) { name price category { id } inStock } }", new { id });
        Assert.Equal(name, read["product"]!["name"]!.GetValue<string>());
        Assert.Equal(19.99, read["product"]!["price"]!.GetValue<double>());
        Assert.Equal("2", read["product"]!["category"]!["id"]!.GetValue<string>());
        Assert.True(int.Parse(id) > 500, "new products get ids after the seeded ones");
    }

    [Fact]
    public async Task UpdateProduct_Should_ChangeOnlyGivenFields_When_PartialInput()
    {
        // arrange
        var created = await fixture.Catalog.DataAsync(TestCaller.Admin, Create, new { input = new { name = "zz-before", description = "kept", price = 5.49, categoryId = "3" } });
        var id = created["createProduct"]!["product"]!["id"]!.GetValue<string>();

        // act
        var updated = await fixture.Catalog.DataAsync(TestCaller.Admin, Update, new { input = new { id, price = 7.99 } });

        // assert
        var product = updated["updateProduct"]!["product"]!;
        Assert.Equal("zz-before", product["name"]!.GetValue<string>());
        Assert.Equal("kept", product["description"]!.GetValue<string>());
        Assert.Equal(7.99, product["price"]!.GetValue<double>());
        Assert.Equal("3", product["category"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateProduct_Should_ReturnNotFound_When_ProductUnknown()
    {
        // act
        var data = await fixture.Catalog.DataAsync(TestCaller.Admin, Update, new { input = new { id = "424242", name = "nobody" } });

        // assert
        var error = Assert.Single(data["updateProduct"]!["errors"]!.AsArray());
        Assert.Equal("NOT_FOUND", error!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateProduct_Should_KeepRow_When_AnyFieldInvalid()
    {
        // arrange
        var created = await fixture.Catalog.DataAsync(TestCaller.Admin, Create, new { input = new { name = "zz-stable", description = "", price = 3.49, categoryId = "5" } });
        var id = created["createProduct"]!["product"]!["id"]!.GetValue<string>();

        // act
        var data = await fixture.Catalog.DataAsync(TestCaller.Admin, Update, new { input = new { id, name = "zz-renamed", price = -1.0 } });

        // assert
        Assert.Single(data["updateProduct"]!["errors"]!.AsArray());
        var read = await fixture.DataAsync("query($id: ID!) { product(id: $id) { name price } }", new { id });
        Assert.Equal("zz-stable", read["product"]!["name"]!.GetValue<string>());
        Assert.Equal(3.49, read["product"]!["price"]!.GetValue<double>());
    }

    public static TheoryData<TestCaller, string> NotAdmins => new() { { TestCaller.Shopper(3), "FORBIDDEN" }, { TestCaller.Anonymous, "UNAUTHENTICATED" } };

    [Theory]
    [MemberData(nameof(NotAdmins))]
    public async Task ProductMutations_Should_BeRefusedAndChangeNothing_When_CallerIsNotAdmin(TestCaller caller, string code)
    {
        // arrange: the attack from issue 13, a price cut to buy cheaply
        var before = await fixture.Catalog.DataAsync(caller, """{ product(id: "17") { name price } }""");

        // act
        var update = await fixture.Catalog.QueryAsync(caller, Update, new { input = new { id = "17", price = 0.01 } });
        var create = await fixture.Catalog.QueryAsync(caller, Create, new { input = new { name = "zz-not-admin", description = "", price = 1.0, categoryId = "1" } });

        // assert
        Assert.Equal([code], update.ErrorCodes());
        Assert.Null(update["data"]);
        Assert.Equal([code], create.ErrorCodes());
        Assert.Null(create["data"]);
        Assert.Equal(before.ToJsonString(), (await fixture.Catalog.DataAsync(caller, """{ product(id: "17") { name price } }""")).ToJsonString());
        var search = await fixture.Catalog.DataAsync(caller, """{ products(filter: { search: "zz-not-admin" }) { totalCount } }""");
        Assert.Equal(0, search["products"]!["totalCount"]!.GetValue<int>());
    }
}
