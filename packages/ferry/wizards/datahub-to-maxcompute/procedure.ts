/** The procedure's types: its clients, its parameters and what each step records for the later ones. */
import {defineProcedure, type ConnectorShardStatus, type IdentityFinding, type ProcedureContext} from '../../source/kit.js';
import type {DataHubClients} from './clients.js';
import type {parameters} from './parameters.js';
import type {ColumnMapping, TableColumn} from './type-mapping.js';

/** What preflight found, saved for the later steps. */
export type Shape = {tableExists: boolean; columns: TableColumn[]; fields: ColumnMapping[]; records: number};

type Outputs = {
	preflight: {shape: Shape; identities: IdentityFinding[]};
	topic: {shards: string[]};
	connector: {connectorId: string};
	write: {records: number; bytes: number};
	sync: {shards: ConnectorShardStatus[]};
};

type Types = {clients: DataHubClients; parameters: typeof parameters; outputs: Outputs};

export const procedure = defineProcedure<Types>();

/** A step's context; `Id` names the step whose outputs it records. */
export type Context<Id extends keyof Outputs = never> = ProcedureContext<Types, Id>;

/** MaxCompute 2.0 types for every statement the procedure runs. */
export const settings = {'odps.sql.type.system.odps2': 'true', 'odps.sql.decimal.odps2': 'true'};
