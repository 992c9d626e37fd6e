using System.Globalization;
using Catalog.Data;
using Catalog.Events;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using Federation.Subgraph.Messaging.Outbox;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Types;

public sealed record CreateProductInput(string Name, string Description, double Price, string CategoryId);

public sealed record UpdateProductInput(string Id, string? Name = null, string? Description = null, double? Price = null, string? CategoryId = null);

public sealed record ProductPayload(Product? Product, IReadOnlyList<UserError> Errors);

public sealed class ProductMutations : IMutationFields
{
    public void AddFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ProductPayloadType<CreateProductPayloadName>>>("createProduct")
            .RequiresScopes(["admin"])
            .Argument<NonNullGraphType<CreateProductInputType>>("input")
            .ResolveAsync(async ctx => await CreateAsync(ctx, ctx.GetArgument<CreateProductInput>("input")));

        mutation.Field<NonNullGraphType<ProductPayloadType<UpdateProductPayloadName>>>("updateProduct")
            .RequiresScopes(["admin"])
            .Argument<NonNullGraphType<UpdateProductInputType>>("input")
            .ResolveAsync(async ctx => await UpdateAsync(ctx, ctx.GetArgument<UpdateProductInput>("input")));
    }

    private static async Task<ProductPayload> CreateAsync(IResolveFieldContext ctx, CreateProductInput input)
    {
        ctx.RequireAdmin();
        await using var db = await CreateContextAsync(ctx);
        var errors = new List<UserError>();
        ValidateName(input.Name, errors);
        ValidateDescription(input.Description, errors);
        ValidatePrice(input.Price, errors);
        var categoryId = await ValidateCategoryAsync(db, input.CategoryId, errors, ctx.CancellationToken);
        if (errors.Count > 0)
            return new ProductPayload(null, errors);

        var product = new Product
        {
            Name = input.Name.Trim(),
            Description = input.Description.Trim(),
            Price = (decimal)input.Price,
            CategoryId = categoryId,
            CreatedAt = DateTimeOffset.UtcNow,
            InStock = false,
        };
        // The id (the event's key) exists only after the insert; the transaction keeps product and event atomic.
        await using var transaction = await db.Database.BeginTransactionAsync(ctx.CancellationToken);
        db.Products.Add(product);
        await db.SaveChangesAsync(ctx.CancellationToken);
        Outbox.Add(db, CatalogTopics.Product, product.Id.ToString(CultureInfo.InvariantCulture), ProductCreated.From(product));
        await db.SaveChangesAsync(ctx.CancellationToken);
        await transaction.CommitAsync(ctx.CancellationToken);
        return new ProductPayload(product, []);
    }

    private static async Task<ProductPayload> UpdateAsync(IResolveFieldContext ctx, UpdateProductInput input)
    {
        ctx.RequireAdmin();
        await using var db = await CreateContextAsync(ctx);
        if (!Ids.TryParse(input.Id, out var id))
            return new ProductPayload(null, [UserError.Validation($"'{input.Id}' is not a product id.", "input", "id")]);
        var product = await db.Products.FindAsync([id], ctx.CancellationToken);
        if (product is null)
            return new ProductPayload(null, [UserError.NotFound($"Product {id} does not exist.", "input", "id")]);

        var errors = new List<UserError>();
        if (input.Name is not null)
            ValidateName(input.Name, errors);
        if (input.Description is not null)
            ValidateDescription(input.Description, errors);
        if (input.Price is { } price)
            ValidatePrice(price, errors);
        var categoryId = input.CategoryId is null ? product.CategoryId : await ValidateCategoryAsync(db, input.CategoryId, errors, ctx.CancellationToken);
        if (errors.Count > 0)
            return new ProductPayload(null, errors);

        product.Name = input.Name?.Trim() ?? product.Name;
        product.Description = input.Description?.Trim() ?? product.Description;
        product.Price = input.Price is { } newPrice ? (decimal)newPrice : product.Price;
        product.CategoryId = categoryId;
        // One SaveChanges is one transaction: the change and its event commit together. No change, no event.
        if (db.ChangeTracker.HasChanges())
            Outbox.Add(db, CatalogTopics.Product, product.Id.ToString(CultureInfo.InvariantCulture), ProductUpdated.From(product));
        await db.SaveChangesAsync(ctx.CancellationToken);
        return new ProductPayload(product, []);
    }

    private static Task<CatalogDbContext> CreateContextAsync(IResolveFieldContext ctx) =>
        ctx.RequestServices!.GetRequiredService<IDbContextFactory<CatalogDbContext>>().CreateDbContextAsync(ctx.CancellationToken);

    private static void ValidateName(string name, List<UserError> errors)
    {
        if (string.IsNullOrWhiteSpace(name))
            errors.Add(UserError.Validation("Name must not be empty.", "input", "name"));
        else if (name.Trim().Length > Product.NameMaxLength)
            errors.Add(UserError.Validation($"Name must be at most {Product.NameMaxLength} characters.", "input", "name"));
    }

    private static void ValidateDescription(string description, List<UserError> errors)
    {
        if (description.Trim().Length > Product.DescriptionMaxLength)
            errors.Add(UserError.Validation($"Description must be at most {Product.DescriptionMaxLength} characters.", "input", "description"));
    }

    private static void ValidatePrice(double price, List<UserError> errors)
    {
        if (double.IsNaN(price) || price <= 0 || price > (double)Product.MaxPrice)
            errors.Add(UserError.Validation($"Price must be greater than 0 and at most {Product.MaxPrice}.", "input", "price"));
        else if (Math.Round(price, 2) != price)
            errors.Add(UserError.Validation("Price must have at most two decimal places.", "input", "price"));
    }

    private static async Task<int> ValidateCategoryAsync(CatalogDbContext db, string categoryId, List<UserError> errors, CancellationToken cancellationToken)
    {
        if (!Ids.TryParse(categoryId, out var id))
            errors.Add(UserError.Validation($"'{categoryId}' is not a category id.", "input", "categoryId"));
        else if (!await db.Categories.AnyAsync(c => c.Id == id, cancellationToken))
            errors.Add(UserError.NotFound($"Category {id} does not exist.", "input", "categoryId"));
        return id;
    }
}

public sealed class CreateProductInputType : InputObjectGraphType<CreateProductInput>
{
    public CreateProductInputType()
    {
        Name = "CreateProductInput";
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<NonNullGraphType<StringGraphType>>("description");
        Field<NonNullGraphType<FloatGraphType>>("price");
        Field<NonNullGraphType<IdGraphType>>("categoryId");
    }
}

public sealed class UpdateProductInputType : InputObjectGraphType<UpdateProductInput>
{
    public UpdateProductInputType()
    {
        Name = "UpdateProductInput";
        Description = "Fields left out keep their value.";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<StringGraphType>("name");
        Field<StringGraphType>("description");
        Field<FloatGraphType>("price");
        Field<IdGraphType>("categoryId");
    }
}

public interface IPayloadName
{
    static abstract string Name { get; }
}

public sealed class CreateProductPayloadName : IPayloadName
{
    public static string Name => "CreateProductPayload";
}

public sealed class UpdateProductPayloadName : IPayloadName
{
    public static string Name => "UpdateProductPayload";
}

public sealed class ProductPayloadType<TName> : ObjectGraphType<ProductPayload> where TName : IPayloadName
{
    public ProductPayloadType()
    {
        Name = TName.Name;
        Field<ProductType>("product").Description("The product as saved; null when there are errors.").Resolve(ctx => ctx.Source.Product);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}
