-- wrk script: POST the getCustomer envelope straight to the CXF service (the "direct" baseline).
-- The envelope file is named by the ENVELOPE environment variable (run.sh writes it).
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/xml; charset=UTF-8"
wrk.headers["SOAPAction"] = '"urn:example:customers:getCustomer"'
local f = assert(io.open(assert(os.getenv("ENVELOPE"), "set ENVELOPE"), "rb"))
wrk.body = f:read("*a")
f:close()
