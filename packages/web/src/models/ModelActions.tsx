import MoreVertIcon from '@mui/icons-material/MoreVert';
import { IconButton, ListItemText, Menu, MenuItem } from '@mui/material';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../auth/permissions';
import type { Model, ModelStatus } from './models.api';

export type ModelAction = 'activate' | 'rollback' | 'startChallenger' | 'stopChallenger';

/** Which changes a version's status allows (the API refuses the others with a 409). */
const ACTIONS_BY_STATUS: Record<ModelStatus, readonly ModelAction[]> = {
  training: [],
  failed: [],
  ready: ['activate', 'startChallenger'],
  retired: ['activate', 'startChallenger'],
  challenger: ['activate', 'stopChallenger'],
  active: ['rollback'],
};

const LABELS: Record<ModelAction, string> = {
  activate: 'Activate…',
  rollback: 'Roll back…',
  startChallenger: 'Run as challenger',
  stopChallenger: 'Stop challenger',
};

interface ModelActionsProps {
  model: Model;
  onAction: (action: ModelAction, model: Model) => void;
}

/** A version's menu: its performance for everyone, the changes for those who manage models. */
export function ModelActions({ model, onAction }: ModelActionsProps) {
  const mayManage = useCan('models:manage');
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const actions = mayManage ? ACTIONS_BY_STATUS[model.status] : [];
  const menuId = `model-actions-${model.id}`;
  return (
    <>
      <IconButton
        aria-label={`Actions for ${model.name} version ${model.version}`}
        aria-controls={anchor ? menuId : undefined}
        aria-haspopup="menu"
        onClick={(event) => setAnchor(event.currentTarget)}
      >
        <MoreVertIcon />
      </IconButton>
      <Menu id={menuId} anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        <MenuItem component={Link} to={`/models/${model.id}`}>
          <ListItemText>Performance</ListItemText>
        </MenuItem>
        {actions.map((action) => (
          <MenuItem
            key={action}
            onClick={() => {
              setAnchor(null);
              onAction(action, model);
            }}
          >
            <ListItemText>{LABELS[action]}</ListItemText>
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
