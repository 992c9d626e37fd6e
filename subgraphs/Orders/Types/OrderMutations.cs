using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orders.Data;
using Orders.Domain;

namespace Orders.Types;

public sealed class OrderMutations : IMutationFields
{
    public void AddFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PlaceOrderPayloadType>>("placeOrder")
            .Authenticated()
            .Description("Places an order for the signed-in user: lines priced from the current catalog, shipping and tax computed here (checkoutQuote shows the same amounts first), paid by card once stock is held. Sending the same idempotency key again returns the same order.")
            .Argument<NonNullGraphType<PlaceOrderInputType>>("input")
            .Argument<NonNullGraphType<StringGraphType>>("idempotencyKey", "A client-chosen unique key per intended order, e.g. a UUID; at most 100 characters.")
            .ResolveAsync(async ctx => await PlaceAsync(ctx));
    }

    private static async Task<PlaceOrderResult> PlaceAsync(IResolveFieldContext ctx)
    {
        var (request, errors) = PlaceOrderRequest.Validate(ctx.SignedInUserId(), ctx.GetArgument<PlaceOrderInput>("input"), ctx.GetArgument<string>("idempotencyKey"));
        if (request is null)
            return new PlaceOrderResult(null, errors);
        await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<OrdersDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
        return await OrderPlacement.PlaceAsync(db, request, ctx.CancellationToken);
    }
}

public sealed class PlaceOrderInputType : InputObjectGraphType<PlaceOrderInput>
{
    public PlaceOrderInputType()
    {
        Name = "PlaceOrderInput";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PlaceOrderLineInputType>>>>("lines");
        Field<NonNullGraphType<ShippingAddressInputType>>("shippingAddress");
        Field<NonNullGraphType<ShippingMethodType>>("shippingMethod");
        Field<NonNullGraphType<PaymentCardInputType>>("payment");
    }
}

public sealed class PlaceOrderLineInputType : InputObjectGraphType<PlaceOrderLineInput>
{
    public PlaceOrderLineInputType()
    {
        Name = "PlaceOrderLineInput";
        Field<NonNullGraphType<IdGraphType>>("productId");
        Field<NonNullGraphType<IntGraphType>>("quantity").Description($"{OrderLine.MinQuantity} to {OrderLine.MaxQuantity}.");
    }
}

public sealed class PlaceOrderPayloadType : ObjectGraphType<PlaceOrderResult>
{
    public PlaceOrderPayloadType()
    {
        Name = "PlaceOrderPayload";
        Field<OrderType>("order").Description("The placed order (or the one this idempotency key placed before); null when there are errors.").Resolve(ctx => ctx.Source.Order);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}
