-- Step 1 (SQL Server SQLPRD04, master): master key, endpoint certificate, MI certificate.
USE master;
GO
IF NOT EXISTS (SELECT * FROM sys.symmetric_keys WHERE symmetric_key_id = 101)
    CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'Never-Printed-0n-Screen!';
GO
CREATE CERTIFICATE [Cert_SQLPRD04_endpoint]
    WITH SUBJECT = N'Certificate for Cert_SQLPRD04_endpoint',
         EXPIRY_DATE = '2031-06-30';
GO
-- Public key of the managed instance (Get-AzSqlInstanceEndpointCertificate)
CREATE CERTIFICATE [mi-ledger-weu-01.3f9c2a7e5b1d.database.windows.net]
    FROM BINARY = 0x3082030A30820206A003020102021000C9E1;
GO
CREATE ENDPOINT [Hadr_endpoint]
    STATE = STARTED
    AS TCP (LISTENER_PORT = 5022, LISTENER_IP = ALL)
    FOR DATABASE_MIRRORING (
        ROLE = ALL,
        AUTHENTICATION = CERTIFICATE [Cert_SQLPRD04_endpoint],
        ENCRYPTION = REQUIRED ALGORITHM AES);
GO
