using System.Globalization;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using Federation.Subgraph.Messaging.Outbox;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reviews.Data;
using Reviews.Events;

namespace Reviews.Types;

public sealed record AddReviewInput(string ProductId, int Rating, string Body);

public sealed record ReviewPayload(Review? Review, IReadOnlyList<UserError> Errors);

public sealed class ReviewMutations : IMutationFields
{
    public void AddFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AddReviewPayloadType>>("addReview")
            .Authenticated()
            .Description("Adds the signed-in user's review of a product they bought; one review per user and product.")
            .Argument<NonNullGraphType<AddReviewInputType>>("input")
            .ResolveAsync(async ctx => await AddAsync(ctx, ctx.GetArgument<AddReviewInput>("input")));
    }

    private static async Task<ReviewPayload> AddAsync(IResolveFieldContext ctx, AddReviewInput input)
    {
        var userId = ctx.SignedInUserId();
        var errors = new List<UserError>();
        if (!Ids.TryParse(input.ProductId, out var productId))
            errors.Add(UserError.Validation($"'{input.ProductId}' is not a product id.", "input", "productId"));
        if (input.Rating is < Review.MinRating or > Review.MaxRating)
            errors.Add(UserError.Validation($"Rating must be between {Review.MinRating} and {Review.MaxRating}.", "input", "rating"));
        var body = input.Body.Trim();
        if (body.Length is 0 or > Review.BodyMaxLength)
            errors.Add(UserError.Validation($"Body must be 1 to {Review.BodyMaxLength} characters, not blank.", "input", "body"));
        if (errors.Count > 0)
            return new ReviewPayload(null, errors);

        await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<ReviewsDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
        // Unknown before not bought: a product catalog never announced cannot have a purchase either.
        if (!await db.Products.AnyAsync(p => p.Id == productId, ctx.CancellationToken))
            return new ReviewPayload(null, [UserError.NotFound("This product does not exist (any more); there is nothing to review.", "input", "productId")]);
        if (!await db.Purchases.AnyAsync(p => p.UserId == userId && p.ProductId == productId, ctx.CancellationToken))
            return new ReviewPayload(null, [new UserError(UserErrorCodes.Forbidden, "Only shoppers who bought this product can review it; once your order for it is confirmed, you can.", ["input", "productId"])]);

        var review = new Review { ProductId = productId, UserId = userId, Rating = input.Rating, Body = body, CreatedAt = TruncateToMicroseconds(DateTimeOffset.UtcNow) };
        // The review id (the event's key) exists only after the insert; the transaction keeps review and event atomic.
        await using var transaction = await db.Database.BeginTransactionAsync(ctx.CancellationToken);
        db.Reviews.Add(review);
        try
        {
            await db.SaveChangesAsync(ctx.CancellationToken);
            Outbox.Add(db, ReviewsTopics.Review, review.Id.ToString(CultureInfo.InvariantCulture), ReviewAdded.From(review));
            await db.SaveChangesAsync(ctx.CancellationToken);
            await transaction.CommitAsync(ctx.CancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Checked by the unique index rather than a prior SELECT, so two concurrent requests cannot both pass.
            return new ReviewPayload(null, [UserError.Conflict("You have already reviewed this product; each shopper reviews a product once.", "input", "productId")]);
        }
        return new ReviewPayload(review, []);
    }

    // PostgreSQL keeps microseconds; truncate so cursors built from this value match the stored row.
    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) => value.AddTicks(-(value.Ticks % 10));
}

public sealed class AddReviewInputType : InputObjectGraphType<AddReviewInput>
{
    public AddReviewInputType()
    {
        Name = "AddReviewInput";
        Field<NonNullGraphType<IdGraphType>>("productId");
        Field<NonNullGraphType<IntGraphType>>("rating").Description($"{Review.MinRating} to {Review.MaxRating}.");
        Field<NonNullGraphType<StringGraphType>>("body").Description($"1 to {Review.BodyMaxLength} characters.");
    }
}

public sealed class AddReviewPayloadType : ObjectGraphType<ReviewPayload>
{
    public AddReviewPayloadType()
    {
        Name = "AddReviewPayload";
        Field<ReviewType>("review").Description("The review as saved; null when there are errors.").Resolve(ctx => ctx.Source.Review);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}
