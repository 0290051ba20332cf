@{
    # A test double of Microsoft's NetConnection module: Get-NetConnectionProfile only (see NetConnection.psm1).
    RootModule           = 'NetConnection.psm1'
    ModuleVersion        = '1.0.0.0'
    GUID                 = '0b6f8c7e-3f9a-4d55-8a61-2f6d4c1e7a20'
    Author               = 'scomfw tests'
    Description          = 'Test double of NetConnection: the connection profiles kept in the NetSecurity double''s store file.'
    CompatiblePSEditions = @('Core', 'Desktop')
    PowerShellVersion    = '5.1'
    FunctionsToExport    = @('Get-NetConnectionProfile')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
