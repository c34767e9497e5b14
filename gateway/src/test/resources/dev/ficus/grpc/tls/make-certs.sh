#!/usr/bin/env bash
# Regenerates the test PKI of GrpcTlsTest (run from this folder; needs openssl). Valid for 100 years.
#   ca.pem             the test CA the gateway is told to trust (tls.ca)
#   server.pem/-key    the sample gRPC server's certificate for 127.0.0.1 and localhost
#   client.pem/-key    the gateway's client certificate for mutual TLS (tls.cert / tls.key)
#   other-ca.pem       a CA that signed nothing here: trusting it alone must fail
#   wrong-name.pem/-key a certificate by the test CA for wrong.example only: host name checks must refuse it
# Keys are unencrypted PKCS#8 PEM, the form the gateway reads.
set -euo pipefail
days=36500
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days $days -subj "/CN=Ficus test CA"
openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca-key.pem -out other-ca.pem -days $days -subj "/CN=Ficus other CA"
openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj "/CN=localhost"
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server.pem -days $days -extfile server.ext
openssl req -newkey rsa:2048 -nodes -keyout client-key.pem -out client.csr -subj "/CN=ficus-gateway"
printf 'extendedKeyUsage=clientAuth\n' > client.ext
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out client.pem -days $days -extfile client.ext
openssl req -newkey rsa:2048 -nodes -keyout wrong-name-key.pem -out wrong.csr -subj "/CN=wrong.example"
printf 'subjectAltName=DNS:wrong.example\nextendedKeyUsage=serverAuth\n' > wrong.ext
openssl x509 -req -in wrong.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out wrong-name.pem -days $days -extfile wrong.ext
rm -f wrong.csr wrong.ext server.csr client.csr server.ext client.ext ca.srl ca-key.pem other-ca-key.pem
