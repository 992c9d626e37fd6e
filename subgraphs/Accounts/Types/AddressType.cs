using Accounts.Data;
using Federation.Subgraph.GraphQL;
using GraphQL.Types;

namespace Accounts.Types;

public sealed class AddressType : ObjectGraphType<Address>
{
    public AddressType()
    {
        Name = "Address";
        Description = "A shipping address the signed-in user saved; its fields are those of placeOrder's shipping address.";
        Field(a => a.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(a => a.Name).Description("The recipient.");
        Field(a => a.Line1);
        Field(a => a.Line2, nullable: true);
        Field(a => a.City);
        Field(a => a.Region, nullable: true);
        Field(a => a.PostalCode);
        Field(a => a.Country).Description("ISO 3166-1 alpha-2 code.");
    }
}

public sealed class AddressInputType() : PostalAddressInputType("AddressInput", "A shipping address to save.");
