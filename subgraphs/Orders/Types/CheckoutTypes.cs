using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orders.Data;
using Orders.Domain;

namespace Orders.Types;

public sealed record CheckoutQuotePayload(CheckoutQuote? Quote, IReadOnlyList<UserError> Errors);

/// <summary>The shipping table and quotes: what the checkout's review step shows is exactly what placeOrder charges.</summary>
public sealed class CheckoutQueries : IQueryFields
{
    public void AddFields(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ShippingOptionType>>>>("shippingMethods")
            .Description("The ways an order can ship, with their cost.")
            .Resolve(_ => ShippingOption.All);

        query.Field<NonNullGraphType<CheckoutQuotePayloadType>>("checkoutQuote")
            .Description("Prices lines shipped to an address by a method exactly as placeOrder would now: subtotal from the current catalog, shipping, tax by destination, total.")
            .Argument<NonNullGraphType<CheckoutQuoteInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<CheckoutQuoteInput>("input");
                var (request, errors) = CheckoutRequest.Validate(input.Lines, input.ShippingAddress, input.ShippingMethod);
                if (request is null)
                    return new CheckoutQuotePayload(null, errors);
                await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<OrdersDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
                var (quote, quoteErrors) = await OrderPlacement.QuoteAsync(db, request, ctx.CancellationToken);
                return new CheckoutQuotePayload(quote, quoteErrors);
            });
    }
}

public sealed class ShippingMethodType : EnumerationGraphType<ShippingMethod>
{
    public ShippingMethodType() => Name = "ShippingMethod";
}

public sealed class ShippingOptionType : ObjectGraphType<ShippingOption>
{
    public ShippingOptionType()
    {
        Name = "ShippingOption";
        Field<NonNullGraphType<ShippingMethodType>>("method").Resolve(ctx => ctx.Source.Method);
        Field(o => o.Name);
        Field<NonNullGraphType<FloatGraphType>>("cost").Description("In USD.").Resolve(ctx => (double)ctx.Source.Cost);
        Field(o => o.MinDays).Description("Business days to delivery, at the soonest.");
        Field(o => o.MaxDays).Description("Business days to delivery, at the latest.");
    }
}

public sealed class ShippingAddressType : ObjectGraphType<ShippingAddress>
{
    public ShippingAddressType()
    {
        Name = "ShippingAddress";
        this.AddPostalAddressFields();
    }
}

public sealed class ShippingAddressInputType() : PostalAddressInputType("ShippingAddressInput", "Where an order ships; a saved Address can be sent field for field.");

public sealed class PaymentCardInputType : InputObjectGraphType<PaymentCardInput>
{
    public PaymentCardInputType()
    {
        Name = "PaymentCardInput";
        Field<NonNullGraphType<StringGraphType>>("cardNumber")
            .Description("12 to 19 digits, spaces or dashes allowed. Only the brand and last four digits are kept. Test cards: 4242 4242 4242 4242 is approved, 4000 0000 0000 0002 is declined, 4000 0000 0000 9995 is declined for insufficient funds.");
    }
}

public sealed class CheckoutQuoteInputType : InputObjectGraphType<CheckoutQuoteInput>
{
    public CheckoutQuoteInputType()
    {
        Name = "CheckoutQuoteInput";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PlaceOrderLineInputType>>>>("lines");
        Field<NonNullGraphType<ShippingAddressInputType>>("shippingAddress");
        Field<NonNullGraphType<ShippingMethodType>>("shippingMethod");
    }
}

public sealed class CheckoutQuoteType : ObjectGraphType<CheckoutQuote>
{
    public CheckoutQuoteType()
    {
        Name = "CheckoutQuote";
        Description = "Amounts in USD, as placeOrder would charge them now.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OrderLineType>>>>("lines")
            .ListSize(assumedSize: PlaceOrderRequest.MaxLines)
            .Resolve(ctx => ctx.Source.Lines);
        Field<NonNullGraphType<ShippingMethodType>>("shippingMethod").Resolve(ctx => ctx.Source.ShippingMethod);
        Field<NonNullGraphType<FloatGraphType>>("subtotal").Resolve(ctx => (double)ctx.Source.Amounts.Subtotal);
        Field<NonNullGraphType<FloatGraphType>>("shipping").Resolve(ctx => (double)ctx.Source.Amounts.Shipping);
        Field<NonNullGraphType<FloatGraphType>>("taxRate").Description("E.g. 0.0725 for 7.25%; applies to subtotal and shipping.").Resolve(ctx => (double)ctx.Source.Amounts.TaxRate);
        Field<NonNullGraphType<FloatGraphType>>("tax").Resolve(ctx => (double)ctx.Source.Amounts.Tax);
        Field<NonNullGraphType<FloatGraphType>>("total").Resolve(ctx => (double)ctx.Source.Amounts.Total);
    }
}

public sealed class CheckoutQuotePayloadType : ObjectGraphType<CheckoutQuotePayload>
{
    public CheckoutQuotePayloadType()
    {
        Name = "CheckoutQuotePayload";
        Field<CheckoutQuoteType>("quote").Description("Null when there are errors.").Resolve(ctx => ctx.Source.Quote);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}

public sealed class PaymentCardType : ObjectGraphType<Order>
{
    public PaymentCardType()
    {
        Name = "PaymentCard";
        Description = "The card an order was paid with, as kept: brand and last four digits.";
        Field<NonNullGraphType<StringGraphType>>("brand").Resolve(ctx => ctx.Source.CardBrand);
        Field<NonNullGraphType<StringGraphType>>("last4").Resolve(ctx => ctx.Source.CardLast4);
    }
}
