{
  "schema": "rpc-contract/1",
  "services": [
    {
      "name": "shop.Shop",
      "interface": "Shop.IShop",
      "methods": [
        {
          "name": "GetBasketAsync",
          "id": 288295608,
          "kind": "unary",
          "idempotent": false,
          "parameters": [
            {
              "name": "id",
              "type": "int"
            }
          ],
          "result": "Shop.Basket"
        },
        {
          "name": "GetSettingsAsync",
          "id": 3036494450,
          "kind": "unary",
          "idempotent": true,
          "parameters": [],
          "result": "Shop.Settings"
        },
        {
          "name": "PayAsync",
          "id": 2135756323,
          "kind": "unary",
          "idempotent": false,
          "parameters": [
            {
              "name": "payment",
              "type": "Shop.Payment"
            },
            {
              "name": "note",
              "type": "string",
              "encoding": "utf8"
            }
          ],
          "result": null
        },
        {
          "name": "PingAsync",
          "id": 2810360375,
          "kind": "oneWay",
          "idempotent": false,
          "parameters": [
            {
              "name": "at",
              "type": "System.DateTime"
            },
            {
              "name": "pair",
              "type": "(int, string)"
            }
          ],
          "result": null
        },
        {
          "name": "UploadAsync",
          "id": 2762250758,
          "kind": "clientStreaming",
          "idempotent": false,
          "parameters": [],
          "requestStream": {
            "name": "lines",
            "type": "Shop.Line"
          },
          "result": "int"
        },
        {
          "name": "WatchAsync",
          "id": 2993837666,
          "kind": "serverStreaming",
          "idempotent": false,
          "parameters": [
            {
              "name": "basketId",
              "type": "long"
            }
          ],
          "result": "Shop.Line"
        }
      ]
    }
  ],
  "types": [
    {
      "name": "Shop.Basket",
      "kind": "object",
      "valueType": false,
      "members": [
        {
          "slot": 0,
          "name": "Id",
          "type": "long"
        },
        {
          "slot": 1,
          "name": "Lines",
          "type": "System.Collections.Generic.List<Shop.Line>"
        },
        {
          "slot": 2,
          "name": "Tags",
          "type": "System.Collections.Generic.Dictionary<string, int>"
        },
        {
          "slot": 3,
          "name": "Owner",
          "type": "System.Guid"
        },
        {
          "slot": 4,
          "name": "Codes",
          "type": "int[]"
        }
      ]
    },
    {
      "name": "Shop.Card",
      "kind": "object",
      "valueType": false,
      "members": [
        {
          "slot": 0,
          "name": "Number",
          "type": "string"
        }
      ]
    },
    {
      "name": "Shop.Cash",
      "kind": "object",
      "valueType": false,
      "members": [
        {
          "slot": 0,
          "name": "Amount",
          "type": "decimal"
        }
      ]
    },
    {
      "name": "Shop.Colour",
      "kind": "enum",
      "underlying": "byte",
      "values": [
        {
          "name": "Red",
          "value": 1
        },
        {
          "name": "Green",
          "value": 2
        }
      ]
    },
    {
      "name": "Shop.Line",
      "kind": "object",
      "valueType": false,
      "members": [
        {
          "slot": 0,
          "name": "Sku",
          "type": "string"
        },
        {
          "slot": 1,
          "name": "Quantity",
          "type": "int"
        },
        {
          "slot": 2,
          "name": "Colour",
          "type": "Shop.Colour?"
        }
      ]
    },
    {
      "name": "Shop.Payment",
      "kind": "union",
      "valueType": false,
      "cases": [
        {
          "tag": 0,
          "type": "Shop.Card"
        },
        {
          "tag": 5,
          "type": "Shop.Cash"
        }
      ]
    },
    {
      "name": "Shop.Settings",
      "kind": "versionTolerant",
      "valueType": false,
      "members": [
        {
          "slot": 0,
          "name": "Version",
          "type": "int"
        },
        {
          "slot": 2,
          "name": "Theme",
          "type": "string"
        }
      ]
    }
  ]
}
